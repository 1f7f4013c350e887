import Testing
@testable import Cryptography

struct HMACVector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: [UInt8]
    let message: [UInt8]
    let expectedHex: String
    var testDescription: String { name }

    init(_ name: String, key: [UInt8], message: [UInt8], _ expectedHex: String) {
        self.name = name
        self.key = key
        self.message = message
        self.expectedHex = expectedHex
    }
}

@Suite struct HMACTests {
    static let key0b20 = [UInt8](repeating: 0x0B, count: 20)
    static let keyAA20 = [UInt8](repeating: 0xAA, count: 20)
    static let key01to19 = Array(UInt8(0x01)...UInt8(0x19))
    static let hashKeyFirst = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)

    /// RFC 4231 test cases 1–4, 6 and 7 (case 5 tests truncated output, which we never produce).
    static let rfc4231: [HMACVector] = [
        HMACVector("RFC 4231 case 1", key: key0b20, message: Array("Hi There".utf8),
                   "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        HMACVector("RFC 4231 case 2", key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8),
                   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HMACVector("RFC 4231 case 3", key: keyAA20, message: [UInt8](repeating: 0xDD, count: 50),
                   "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        HMACVector("RFC 4231 case 4", key: key01to19, message: [UInt8](repeating: 0xCD, count: 50),
                   "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        HMACVector("RFC 4231 case 6", key: [UInt8](repeating: 0xAA, count: 131), message: hashKeyFirst,
                   "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        HMACVector("RFC 4231 case 7", key: [UInt8](repeating: 0xAA, count: 131),
                   message: Array(("This is a test using a larger than block-size key and a larger than block-size data. "
                       + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
                   "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    /// RFC 2202 HMAC-SHA1 test cases 1–7.
    static let rfc2202: [HMACVector] = [
        HMACVector("RFC 2202 case 1", key: key0b20, message: Array("Hi There".utf8),
                   "b617318655057264e28bc0b6fb378c8ef146be00"),
        HMACVector("RFC 2202 case 2", key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8),
                   "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        HMACVector("RFC 2202 case 3", key: keyAA20, message: [UInt8](repeating: 0xDD, count: 50),
                   "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
        HMACVector("RFC 2202 case 4", key: key01to19, message: [UInt8](repeating: 0xCD, count: 50),
                   "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
        HMACVector("RFC 2202 case 5", key: [UInt8](repeating: 0x0C, count: 20), message: Array("Test With Truncation".utf8),
                   "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"),
        HMACVector("RFC 2202 case 6", key: [UInt8](repeating: 0xAA, count: 80), message: hashKeyFirst,
                   "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
        HMACVector("RFC 2202 case 7", key: [UInt8](repeating: 0xAA, count: 80),
                   message: Array("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".utf8),
                   "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"),
    ]

    @Test(arguments: rfc4231) func hmacSHA256(vector: HMACVector) {
        #expect(Hex.encode(HMAC.sha256(key: vector.key, message: vector.message)) == vector.expectedHex)
    }

    @Test(arguments: rfc2202) func hmacSHA1(vector: HMACVector) {
        #expect(Hex.encode(HMAC.sha1(key: vector.key, message: vector.message)) == vector.expectedHex)
    }

    @Test func emptyKeyAndMessage() {
        // Well-known values (e.g. Python: hmac.new(b"", b"", "sha256")), and proof that an empty
        // key is not mistaken for "reuse the previous key".
        #expect(Hex.encode(HMAC.sha256(key: [UInt8](), message: [UInt8]()))
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
        #expect(Hex.encode(HMAC.sha1(key: [UInt8](), message: [UInt8]()))
            == "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d")
    }

    @Test func differentKeysGiveDifferentMACs() {
        let message = Array("payload".utf8)
        #expect(HMAC.sha256(key: Array("k1".utf8), message: message) != HMAC.sha256(key: Array("k2".utf8), message: message))
    }
}
