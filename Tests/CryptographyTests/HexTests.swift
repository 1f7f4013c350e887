import Testing
@testable import Cryptography

@Suite struct HexTests {
    @Test func encodesLowerCase() {
        #expect(Hex.encode([0x00, 0x0A, 0xFF, 0x10, 0xC3] as [UInt8]) == "000aff10c3")
        #expect(Hex.encode([UInt8]()) == "")
    }

    @Test func decodesEitherCase() {
        #expect(Hex.decode("000aff10c3") == [0x00, 0x0A, 0xFF, 0x10, 0xC3])
        #expect(Hex.decode("000AFF10C3") == [0x00, 0x0A, 0xFF, 0x10, 0xC3])
        #expect(Hex.decode("") == [])
    }

    @Test func roundTripsAllByteValues() {
        let bytes = Array(0 ... 255 as ClosedRange<UInt8>)
        #expect(Hex.decode(Hex.encode(bytes)) == bytes)
    }

    @Test func rejectsMalformedInput() {
        #expect(Hex.decode("abc") == nil, "odd length")
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode(" 00") == nil)
        #expect(Hex.decode("0x00") == nil)
    }
}
