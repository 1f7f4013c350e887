import Cryptography
import Foundation
@testable import Gateways
import Testing

/// The SMS `sig` and the voice webhook JWT, against the vectors made with Vonage's own libraries.
@Suite struct VonageSignatureTests {
    @Test func everyFixtureVectorPasses() throws {
        let fixture = try VonageTestSupport.jsonFixture("signature_vectors.json")
        let vectors = try #require(fixture["vectors"] as? [[String: Any]])
        var checked = 0
        for vector in vectors {
            let id = vector["id"] as? Int ?? -1
            let methodName = try #require(vector["method"] as? String)
            let method = try #require(VonageSignatureMethod(rawValue: methodName))
            let params = try #require(vector["params"] as? [String: String])
            let secret = try #require(vector["signature_secret"] as? String)
            let signature = VonageSMSSignature(secret: secret, method: method)
            if let documented = vector["string_to_sign"] as? String {
                #expect(VonageSMSSignature.stringToSign(params) == documented, "vector \(id)")
            }
            if let documented = vector["string_to_hash"] as? String, let secret = vector["signature_secret"] as? String {
                #expect(VonageSMSSignature.stringToSign(params) + secret == documented, "vector \(id)")
            }
            let expected = try #require((vector["expected_sig_lower"] as? String) ?? (vector["expected_sig_as_sent"] as? String)?.lowercased())
            #expect(signature.signature(of: params) == expected, "vector \(id)")
            // Accepted as sent (upper case for sha256) and in lower case, at the vector's own time.
            let stamp = try #require(params["timestamp"].flatMap(TimeInterval.init))
            let now = Date(timeIntervalSince1970: stamp)
            for presented in [expected, expected.uppercased()] {
                var signed = params
                signed["sig"] = presented
                #expect(signature.rejection(of: signed, now: now, maximumAge: 300) == nil, "vector \(id)")
            }
            checked += 1
        }
        #expect(checked == 3)
    }

    @Test func forgedUnsignedAndStaleAreRefused() throws {
        let params = VonageTestSupport.stringValues(try VonageTestSupport.jsonFixture("inbound_sms_webhook.json"))
        let signature = VonageSMSSignature(secret: VonageTestSupport.signatureSecret, method: .sha256)
        let now = VonageTestSupport.inboundSMSTime
        #expect(signature.rejection(of: params, now: now, maximumAge: 300) == nil)
        #expect(signature.rejection(of: params, now: now.addingTimeInterval(299), maximumAge: 300) == nil)

        var forged = params
        forged["text"] = "1c"
        #expect(signature.rejection(of: forged, now: now, maximumAge: 300) == "the signature does not match")
        var unsigned = params
        unsigned["sig"] = nil
        #expect(signature.rejection(of: unsigned, now: now, maximumAge: 300) == "the request is not signed")
        var garbage = params
        garbage["sig"] = "not hex"
        #expect(signature.rejection(of: garbage, now: now, maximumAge: 300) == "the signature does not match")
        #expect(signature.rejection(of: params, now: now.addingTimeInterval(301), maximumAge: 300) == "the signed request is stale")
        #expect(signature.rejection(of: params, now: now.addingTimeInterval(-301), maximumAge: 300) == "the signed request is stale")
        // The right signature under another secret or method is a forgery.
        #expect(VonageSMSSignature(secret: "another-secret", method: .sha256).rejection(of: params, now: now, maximumAge: 300) != nil)
        #expect(VonageSMSSignature(secret: VonageTestSupport.signatureSecret, method: .md5hash).rejection(of: params, now: now, maximumAge: 300) != nil)
        // A signed request without a timestamp cannot be aged.
        var timeless = params
        timeless["timestamp"] = nil
        timeless["sig"] = signature.signature(of: timeless)
        #expect(signature.rejection(of: timeless, now: now, maximumAge: 300) == "the signed request has no timestamp")
    }

    @Test func hmacSHA1AgreesWithTheOpenSSLCLI() throws {
        // HMAC-SHA1 is the dashboard's other HMAC choice; check ours against `openssl dgst -hmac`.
        let params = ["msisdn": "447700900123", "text": "a=b&c", "timestamp": "1773134200"]
        let text = VonageSMSSignature.stringToSign(params)
        #expect(text == "&msisdn=447700900123&text=a_b_c&timestamp=1773134200")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "dgst", "-sha1", "-hmac", "secret", "-r"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let oracle = try #require(printed.split(separator: " ").first.map(String.init))
        #expect(VonageSMSSignature(secret: "secret", method: .sha1).signature(of: params) == oracle)
    }

    private static let check = VonageWebhookJWT(secret: VonageTestSupport.signatureSecret, apiKey: VonageTestSupport.apiKey,
                                                applicationId: VonageTestSupport.applicationId, maximumAge: 300)

    @Test func voiceWebhookTokens() throws {
        let body = Array(try VonageTestSupport.fixture("voice_input_event.json"))
        let now = VonageTestSupport.inboundSMSTime
        let good = VonageTestSupport.webhookJWT(body: body)
        #expect(Self.check.rejection(authorization: "Bearer \(good)", body: body, now: now) == nil)
        #expect(Self.check.rejection(authorization: "bearer \(good)", body: body, now: now.addingTimeInterval(120)) == nil)

        #expect(Self.check.rejection(authorization: nil, body: body, now: now) == "the request carries no bearer token")
        #expect(Self.check.rejection(authorization: "Basic abc", body: body, now: now) == "the request carries no bearer token")
        #expect(Self.check.rejection(authorization: "Bearer abc.def", body: body, now: now) == "the bearer token is not a JWT")
        let wrongSecret = VonageTestSupport.webhookJWT(body: body, secret: "another-secret")
        #expect(Self.check.rejection(authorization: "Bearer \(wrongSecret)", body: body, now: now) == "the token's signature does not match")
        // "none" and RS256 are refused whatever the signature: the algorithm is not the token's choice.
        let none = VonageTestSupport.webhookJWT(body: body, algorithm: "none")
        #expect(Self.check.rejection(authorization: "Bearer \(none)", body: body, now: now) == "the token is not HS256")
        let stale = VonageTestSupport.webhookJWT(body: body, issuedAt: now.addingTimeInterval(-301))
        #expect(Self.check.rejection(authorization: "Bearer \(stale)", body: body, now: now) == "the token is stale")
        var otherBody = body
        otherBody[otherBody.count - 3] = UInt8(ascii: "9")
        #expect(Self.check.rejection(authorization: "Bearer \(good)", body: otherBody, now: now) == "the body does not match the token's payload_hash")
        let unhashed = VonageTestSupport.webhookJWT(body: body, payloadHash: .some(nil))
        #expect(Self.check.rejection(authorization: "Bearer \(unhashed)", body: body, now: now) == "the token does not cover the body (no payload_hash)")
        #expect(Self.check.rejection(authorization: "Bearer \(unhashed)", body: [], now: now) == nil)
        // A flipped signature byte.
        var parts = good.split(separator: ".").map(String.init)
        var signature = try #require(Base64URL.decode(parts[2]))
        signature[0] ^= 1
        parts[2] = Base64URL.encode(signature)
        #expect(Self.check.rejection(authorization: "Bearer \(parts.joined(separator: "."))", body: body, now: now) == "the token's signature does not match")
    }
}
