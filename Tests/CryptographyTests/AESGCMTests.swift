import Testing
@testable import Cryptography

struct GCMVector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: String
    let nonce: String
    let plaintext: String
    let associatedData: String
    let ciphertext: String
    let tag: String
    var testDescription: String { name }
}

@Suite struct AESGCMTests {
    static let mvKey = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
    static let mvPlaintext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
    static let mvCiphertext = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"

    /// AES-256 test cases 13–16 of McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)"
    /// (the vectors NIST's GCM validation also publishes).
    static let vectors: [GCMVector] = [
        GCMVector(name: "McGrew-Viega 13", key: String(repeating: "0", count: 64), nonce: String(repeating: "0", count: 24),
                  plaintext: "", associatedData: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        GCMVector(name: "McGrew-Viega 14", key: String(repeating: "0", count: 64), nonce: String(repeating: "0", count: 24),
                  plaintext: String(repeating: "0", count: 32), associatedData: "",
                  ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        GCMVector(name: "McGrew-Viega 15", key: mvKey, nonce: "cafebabefacedbaddecaf888",
                  plaintext: mvPlaintext, associatedData: "",
                  ciphertext: mvCiphertext, tag: "b094dac5d93471bdec1a502270e3cc6c"),
        GCMVector(name: "McGrew-Viega 16", key: mvKey, nonce: "cafebabefacedbaddecaf888",
                  plaintext: String(mvPlaintext.dropLast(8)), associatedData: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
                  ciphertext: String(mvCiphertext.dropLast(8)), tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]

    private static func bytes(_ hex: String) throws -> [UInt8] {
        try #require(Hex.decode(hex))
    }

    @Test(arguments: vectors) func knownAnswer(vector: GCMVector) throws {
        let key = try AESGCMKey(hex: vector.key)
        let nonce = try Self.bytes(vector.nonce)
        let plaintext = try Self.bytes(vector.plaintext)
        let associatedData = try Self.bytes(vector.associatedData)
        let expected = [AESGCM.formatVersion] + nonce + (try Self.bytes(vector.ciphertext)) + (try Self.bytes(vector.tag))

        let sealed = try AESGCM.seal(plaintext, key: key, nonce: nonce, associatedData: associatedData)
        #expect(Hex.encode(sealed) == Hex.encode(expected))
        #expect(try AESGCM.open(expected, key: key, associatedData: associatedData) == plaintext)
    }

    @Test func roundTripsWithRandomNonces() throws {
        let key = AESGCMKey.generate()
        let secret = Array("azure-client-secret~with.symbols_and-dashes".utf8)
        let associatedData = Array("connection:42".utf8)
        let first = try AESGCM.seal(secret, key: key, associatedData: associatedData)
        let second = try AESGCM.seal(secret, key: key, associatedData: associatedData)
        #expect(first.count == secret.count + AESGCM.overhead)
        #expect(first[0] == AESGCM.formatVersion)
        #expect(first[1 ... AESGCM.nonceByteCount] != second[1 ... AESGCM.nonceByteCount], "nonces must differ")
        #expect(first != second)
        #expect(try AESGCM.open(first, key: key, associatedData: associatedData) == secret)
        #expect(try AESGCM.open(second, key: key, associatedData: associatedData) == secret)

        let empty = try AESGCM.seal([], key: key)
        #expect(empty.count == AESGCM.overhead)
        #expect(try AESGCM.open(empty, key: key) == [])
    }

    @Test func everyFlippedBitIsDetected() throws {
        let key = AESGCMKey.generate()
        let associatedData = Array("connection:42".utf8)
        let sealed = try AESGCM.seal(Array("top secret".utf8), key: key, associatedData: associatedData)
        // Covers the version byte, every nonce byte, every ciphertext byte and every tag byte.
        for index in sealed.indices {
            for bit in 0 ..< 8 {
                var tampered = sealed
                tampered[index] ^= UInt8(1) << UInt8(bit)
                #expect(throws: CryptoError.self, "byte \(index) bit \(bit)") {
                    try AESGCM.open(tampered, key: key, associatedData: associatedData)
                }
            }
        }
        #expect(throws: CryptoError.malformedSealedData(reason: "unknown format version 3")) {
            var tampered = sealed
            tampered[0] ^= 0x02
            return try AESGCM.open(tampered, key: key, associatedData: associatedData)
        }
        #expect(throws: CryptoError.authenticationFailed) {
            var tampered = sealed
            tampered[sealed.count - 1] ^= 0x80
            return try AESGCM.open(tampered, key: key, associatedData: associatedData)
        }
    }

    @Test func wrongAssociatedDataOrKeyIsDetected() throws {
        let key = AESGCMKey.generate()
        let sealed = try AESGCM.seal(Array("top secret".utf8), key: key, associatedData: Array("connection:42".utf8))
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(sealed, key: key, associatedData: Array("connection:43".utf8))
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(sealed, key: key)
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(sealed, key: AESGCMKey.generate(), associatedData: Array("connection:42".utf8))
        }
    }

    @Test func truncatedOrExtendedDataIsRejected() throws {
        let key = AESGCMKey.generate()
        let sealed = try AESGCM.seal(Array("top secret".utf8), key: key)
        #expect(throws: CryptoError.self) { try AESGCM.open(Array(sealed.dropLast()), key: key) }
        #expect(throws: CryptoError.self) { try AESGCM.open(sealed + [0], key: key) }
        #expect(throws: CryptoError.self) { try AESGCM.open(Array(sealed.prefix(AESGCM.overhead - 1)), key: key) }
        #expect(throws: CryptoError.self) { try AESGCM.open([], key: key) }
    }
}
