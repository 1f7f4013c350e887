import Foundation
import Testing
@testable import Cryptography

/// The HMAC primitives reproduce the provider signatures in ../shared/fixtures/providers, which were
/// made with the providers' official libraries. Only the raw MAC over the documented string to sign
/// is checked here; full request validation belongs to the gateway adapters.
@Suite struct ProviderSignatureVectorTests {
    static func twilioSignature(authToken: String, stringToSign: String) -> String {
        Data(HMAC.sha1(key: authToken.utf8, message: stringToSign.utf8)).base64EncodedString()
    }

    /// Twilio: URL followed by every parameter name and value, sorted by name (byte order).
    static func twilioStringToSign(url: String, params: [String: String]) -> String {
        params.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .reduce(url) { $0 + $1 + params[$1]! }
    }

    /// Vonage: `&name=value` for every parameter except `sig`, sorted by name, with `&` and `=`
    /// inside values replaced by `_`.
    static func vonageStringToSign(params: [String: String]) -> String {
        params.keys.filter { $0 != "sig" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { name in
                let value = params[name]!.replacingOccurrences(of: "&", with: "_").replacingOccurrences(of: "=", with: "_")
                return "&\(name)=\(value)"
            }
            .joined()
    }

    @Test func twilioPublishedDocumentationExample() throws {
        let fixture = try TestPaths.jsonFixture("providers/twilio/signature_vectors.json")
        let reference = try #require(fixture["published_reference"] as? [String: Any])
        let url = try #require(reference["url"] as? String)
        let params = try #require(reference["params"] as? [String: String])
        let token = try #require(reference["auth_token"] as? String)
        let signature = Self.twilioSignature(authToken: token, stringToSign: Self.twilioStringToSign(url: url, params: params))
        #expect(signature == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        #expect(signature == reference["expected_signature"] as? String)
    }

    @Test func twilioVectors() throws {
        let fixture = try TestPaths.jsonFixture("providers/twilio/signature_vectors.json")
        let vectors = try #require(fixture["vectors"] as? [[String: Any]])
        var positives = 0
        var negatives = 0
        for vector in vectors {
            let id = vector["id"] as? Int ?? -1
            let url = try #require(vector["url"] as? String)
            let token = try #require(vector["auth_token"] as? String)
            let params = try #require(vector["params"] as? [String: String])
            let stringToSign = Self.twilioStringToSign(url: url, params: params)
            let computed = Self.twilioSignature(authToken: token, stringToSign: stringToSign)

            if let documented = vector["string_to_sign"] as? String {
                #expect(stringToSign == documented, "vector \(id): string to sign")
            }
            if let rawBody = vector["raw_body"] as? String {
                #expect(Hex.encode(Digest.sha256(rawBody.utf8)) == vector["body_sha256_hex"] as? String, "vector \(id): bodySHA256")
            }
            if vector["expected_valid"] as? Bool == false {
                let presented = try #require(vector["signature_presented"] as? String)
                #expect(computed == vector["signature_for_this_url"] as? String, "vector \(id)")
                #expect(!constantTimeEquals(computed.utf8, presented.utf8), "vector \(id) must not validate")
                negatives += 1
            } else {
                let expected = try #require(vector["expected_signature"] as? String)
                #expect(constantTimeEquals(computed.utf8, expected.utf8), "vector \(id): \(computed) != \(expected)")
                positives += 1
                // The same request signed over the URL with an explicit :443.
                if let note = vector["note_port"] as? String, let withPort = note.split(separator: " ").last {
                    let url443 = url.replacingOccurrences(of: "https://pager.example.eu/", with: "https://pager.example.eu:443/")
                    let signature443 = Self.twilioSignature(authToken: token, stringToSign: Self.twilioStringToSign(url: url443, params: params))
                    #expect(signature443 == String(withPort), "vector \(id) with :443")
                }
            }
        }
        #expect(positives == 3 && negatives == 1, "the fixture's vectors were not all exercised")
    }

    @Test func vonageSHA256Vectors() throws {
        let fixture = try TestPaths.jsonFixture("providers/vonage/signature_vectors.json")
        let vectors = try #require(fixture["vectors"] as? [[String: Any]])
        // md5hash vectors need MD5, which this module deliberately does not offer.
        let sha256Vectors = vectors.filter { $0["method"] as? String == "sha256" }
        #expect(sha256Vectors.count == 2)
        for vector in sha256Vectors {
            let id = vector["id"] as? Int ?? -1
            let secret = try #require(vector["signature_secret"] as? String)
            let params = try #require(vector["params"] as? [String: String])
            let stringToSign = Self.vonageStringToSign(params: params)
            if let documented = vector["string_to_sign"] as? String {
                #expect(stringToSign == documented, "vector \(id): string to sign")
            }
            let computed = HMAC.sha256(key: secret.utf8, message: stringToSign.utf8)
            if let lower = vector["expected_sig_lower"] as? String {
                #expect(Hex.encode(computed) == lower, "vector \(id)")
            }
            // Vonage sends upper-case hex: compare the decoded bytes, not the text.
            let asSent = try #require(vector["expected_sig_as_sent"] as? String)
            #expect(constantTimeEquals(computed, try #require(Hex.decode(asSent))), "vector \(id)")

            var wrongParams = params
            wrongParams["text"] = (params["text"] ?? "") + "!"
            wrongParams["status"] = (params["status"] ?? "") + "!"
            let wrong = HMAC.sha256(key: secret.utf8, message: Self.vonageStringToSign(params: wrongParams).utf8)
            #expect(!constantTimeEquals(wrong, try #require(Hex.decode(asSent))), "vector \(id): altered params must not match")
        }
    }
}
