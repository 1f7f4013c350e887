import Foundation
import Testing
@testable import Cryptography

@Suite struct AESGCMKeyTests {
    static let raw = Array(0 ..< 32 as Range<UInt8>)

    @Test func acceptsExactly32Bytes() throws {
        #expect(try AESGCMKey(bytes: Self.raw).bytes == Self.raw)
        #expect(throws: CryptoError.self) { try AESGCMKey(bytes: Array(Self.raw.dropLast())) }
        #expect(throws: CryptoError.self) { try AESGCMKey(bytes: Self.raw + [0]) }
        #expect(throws: CryptoError.self) { try AESGCMKey(bytes: [UInt8]()) }
    }

    @Test func parsesBase64InEitherAlphabetWithOrWithoutPadding() throws {
        let bytes = [UInt8](repeating: 0xFB, count: 32)  // encodes with '+' / '-' characters
        let standard = Data(bytes).base64EncodedString()
        #expect(standard.contains("+") && standard.hasSuffix("="))
        #expect(try AESGCMKey(base64: standard).bytes == bytes)
        #expect(try AESGCMKey(base64: String(standard.dropLast())).bytes == bytes)
        #expect(try AESGCMKey(base64: Base64URL.encode(bytes)).bytes == bytes)
        #expect(try AESGCMKey(base64: standard + "\n").bytes == bytes)
        #expect(throws: CryptoError.self) { try AESGCMKey(base64: "not base64!") }
        #expect(throws: CryptoError.self) { try AESGCMKey(base64: Data(bytes.dropLast()).base64EncodedString()) }
    }

    @Test func parsesHex() throws {
        let hex = Hex.encode(Self.raw)
        #expect(try AESGCMKey(hex: hex).bytes == Self.raw)
        #expect(try AESGCMKey(hex: hex.uppercased() + "\n").bytes == Self.raw)
        #expect(throws: CryptoError.self) { try AESGCMKey(hex: String(hex.dropLast(2))) }
        #expect(throws: CryptoError.self) { try AESGCMKey(hex: "zz" + hex.dropFirst(2)) }
    }

    @Test func generatesDistinctKeysThatExportAndReload() throws {
        let key = AESGCMKey.generate()
        #expect(key.bytes.count == 32)
        #expect(key.bytes != AESGCMKey.generate().bytes)
        #expect(try AESGCMKey(base64: key.base64EncodedString()).bytes == key.bytes)
    }

    @Test func neverShowsKeyMaterial() throws {
        let key = try AESGCMKey(bytes: Self.raw)
        var dumped = ""
        dump(key, to: &dumped)
        for text in [key.description, String(reflecting: key), "\(key)", dumped] {
            #expect(!text.contains(Hex.encode(Self.raw)))
            #expect(!text.contains(key.base64EncodedString()))
            #expect(!text.contains("bytes"))
            #expect(!text.contains("31"), "a printed byte array would contain the last byte, 31")
        }
    }
}
