import Testing
@testable import Cryptography

/// RS256 checked against the openssl command-line tool, which shares no code path with our
/// Swift wrapper.
@Suite struct RSAKeyTests {
    static let message = Array("POST /v1/calls\nmessage for RS256 ✓".utf8)

    @Test func signatureVerifiesHereAndWithOpenSSLCLI() throws {
        let cli = try OpenSSLCLI()
        let key = try RSAPrivateKey(pem: try cli.generateRSAKey())
        let publicKey = try RSAPublicKey(pem: try cli.exportPublicKey())
        let signature = try key.signRS256(Self.message)

        #expect(signature.count == 256)
        #expect(publicKey.verifyRS256(signature: signature, message: Self.message))
        #expect(key.publicKey.verifyRS256(signature: signature, message: Self.message))
        #expect(try cli.verifyRS256(signature: signature, message: Self.message))

        // PKCS#1 v1.5 is deterministic: the CLI must produce the very same bytes.
        try cli.write(Self.message, to: "message.bin")
        try cli.mustRun(["dgst", "-sha256", "-sign", "key.pem", "-out", "cli-signature.bin", "message.bin"])
        #expect(try cli.read("cli-signature.bin") == signature)
    }

    @Test func tamperedMessageOrSignatureIsRejected() throws {
        let cli = try OpenSSLCLI()
        let key = try RSAPrivateKey(pem: try cli.generateRSAKey())
        _ = try cli.exportPublicKey()
        let signature = try key.signRS256(Self.message)

        var otherMessage = Self.message
        otherMessage[0] ^= 0x01
        #expect(!key.publicKey.verifyRS256(signature: signature, message: otherMessage))
        #expect(try !cli.verifyRS256(signature: signature, message: otherMessage), "the oracle must reject it too")

        var badSignature = signature
        badSignature[100] ^= 0x01
        #expect(!key.publicKey.verifyRS256(signature: badSignature, message: Self.message))
        #expect(!key.publicKey.verifyRS256(signature: signature.dropLast(), message: Self.message))
        #expect(!key.publicKey.verifyRS256(signature: [UInt8](), message: Self.message))
    }

    @Test func signatureFromAnotherKeyIsRejected() throws {
        let cli = try OpenSSLCLI()
        let key = try RSAPrivateKey(pem: try cli.generateRSAKey(name: "a.pem"))
        let other = try RSAPrivateKey(pem: try cli.generateRSAKey(name: "b.pem"))
        let signature = try other.signRS256(Self.message)
        #expect(!key.publicKey.verifyRS256(signature: signature, message: Self.message))
    }

    @Test func oneKeySignsFromManyTasksAtOnce() async throws {
        // The key types are Sendable on the strength of OpenSSL 3's thread-safety for shared EVP_PKEYs.
        let cli = try OpenSSLCLI()
        let key = try RSAPrivateKey(pem: try cli.generateRSAKey())
        let expected = try key.signRS256(Self.message)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0 ..< 8 {
                group.addTask {
                    var allGood = true
                    for round in 0 ..< 10 {
                        let message = Array("task \(task) round \(round)".utf8)
                        let signature = try key.signRS256(message)
                        allGood = allGood && key.publicKey.verifyRS256(signature: signature, message: message)
                        let again = try key.signRS256(Self.message)
                        allGood = allGood && again == expected
                    }
                    return allGood
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }

    @Test func acceptsPKCS1PrivateKeys() throws {
        let cli = try OpenSSLCLI()
        _ = try cli.generateRSAKey()
        try cli.mustRun(["pkey", "-in", "key.pem", "-traditional", "-out", "pkcs1.pem"])
        let pkcs1 = try cli.readText("pkcs1.pem")
        #expect(pkcs1.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        let key = try RSAPrivateKey(pem: pkcs1)
        _ = try cli.exportPublicKey()
        #expect(try cli.verifyRS256(signature: try key.signRS256(Self.message), message: Self.message))
    }

    @Test func rejectsUnsuitableKeys() throws {
        let cli = try OpenSSLCLI()
        #expect(throws: CryptoError.self, "1024-bit RSA is too short") {
            try RSAPrivateKey(pem: try cli.generateRSAKey(bits: 1024, name: "short.pem"))
        }
        try cli.mustRun(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem"])
        #expect(throws: CryptoError.invalidKey(reason: "not an RSA key")) {
            try RSAPrivateKey(pem: try cli.readText("ec.pem"))
        }
        try cli.mustRun(["pkey", "-in", "ec.pem", "-pubout", "-out", "ec-pub.pem"])
        #expect(throws: CryptoError.invalidKey(reason: "not an RSA key")) {
            try RSAPublicKey(pem: try cli.readText("ec-pub.pem"))
        }
        // An encrypted key must fail at once instead of prompting for a passphrase.
        _ = try cli.generateRSAKey()
        try cli.mustRun(["pkey", "-in", "key.pem", "-aes256", "-passout", "pass:hunter2", "-out", "encrypted.pem"])
        #expect(throws: CryptoError.self) { try RSAPrivateKey(pem: try cli.readText("encrypted.pem")) }
        // A public key is not a private key, and vice versa.
        #expect(throws: CryptoError.self) { try RSAPrivateKey(pem: try cli.exportPublicKey()) }
        #expect(throws: CryptoError.self) { try RSAPublicKey(pem: "") }
    }

    @Test func errorsAndDescriptionsNeverShowKeyMaterial() throws {
        let cli = try OpenSSLCLI()
        let pem = try cli.generateRSAKey()
        let key = try RSAPrivateKey(pem: pem)
        let body = pem.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
        #expect(body.count > 20)
        var dumped = ""
        dump(key, to: &dumped)
        for text in [key.description, String(reflecting: key), dumped] {
            #expect(text.contains("2048"))
            #expect(!text.contains(body))
        }

        // A damaged key: the error carries OpenSSL's reason, not the PEM text.
        let damaged = pem.replacingOccurrences(of: body, with: String(body.reversed()))
        do {
            _ = try RSAPrivateKey(pem: damaged)
            Issue.record("a damaged key was accepted")
        } catch {
            let description = String(describing: error)
            #expect(description.hasPrefix("invalid key: "))
            #expect(!description.contains(body) && !description.contains(String(body.reversed())))
        }
    }
}
