import Foundation
import Testing
@testable import Cryptography

@Suite struct Base64URLTests {
    /// RFC 4648 §10 vectors with the padding removed.
    static let rfc4648: [(String, String)] = [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"),
        ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ]

    @Test func rfc4648Vectors() {
        for (plain, encoded) in Self.rfc4648 {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test func usesTheURLSafeAlphabet() {
        // Standard base64 of these bytes is "+/8=" and "//79".
        #expect(Base64URL.encode([0xFB, 0xFF] as [UInt8]) == "-_8")
        #expect(Base64URL.encode([0xFF, 0xFE, 0xFD] as [UInt8]) == "__79")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    }

    @Test func roundTripsEveryLengthAndMatchesFoundation() throws {
        for length in 0 ... 70 {
            let bytes = SecureRandom.bytes(length)
            let encoded = Base64URL.encode(bytes)
            #expect(Base64URL.decode(encoded) == bytes)
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(encoded == foundation)
        }
    }

    @Test func rejectsMalformedInput() {
        #expect(Base64URL.decode("Zg==") == nil, "padding")
        #expect(Base64URL.decode("Zm9v+A") == nil, "standard alphabet '+'")
        #expect(Base64URL.decode("Zm9v/A") == nil, "standard alphabet '/'")
        #expect(Base64URL.decode("Zm 9v") == nil, "whitespace")
        #expect(Base64URL.decode("Zm9vY") == nil, "impossible length 4n+1")
        #expect(Base64URL.decode("Zh") == nil, "non-zero unused bits")
        #expect(Base64URL.decode("Zm9") == nil, "non-zero unused bits")
        #expect(Base64URL.decode("Zm8") == Array("fo".utf8))
        #expect(Base64URL.decode("é") == nil, "non-ASCII")
    }
}
