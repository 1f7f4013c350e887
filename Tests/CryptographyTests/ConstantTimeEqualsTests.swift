import Testing
@testable import Cryptography

@Suite struct ConstantTimeEqualsTests {
    @Test func equalInputs() {
        let bytes = Array(0 ... 255 as ClosedRange<UInt8>)
        #expect(constantTimeEquals(bytes, bytes))
        #expect(constantTimeEquals([UInt8](), [UInt8]()))
        #expect(constantTimeEquals("signature".utf8, Array("signature".utf8)))
        #expect(constantTimeEquals(bytes[10 ..< 20], Array(bytes[10 ..< 20])))
    }

    @Test func differenceAnywhereIsDetected() {
        let bytes = [UInt8](repeating: 0x5A, count: 32)
        for index in bytes.indices {
            var changed = bytes
            changed[index] ^= 0x01
            #expect(!constantTimeEquals(bytes, changed), "difference at byte \(index) not detected")
        }
    }

    @Test func differentLengthsAreUnequal() {
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(!constantTimeEquals([UInt8](), [0] as [UInt8]))
        #expect(!constantTimeEquals([0] as [UInt8], [0, 0] as [UInt8]))
    }
}
