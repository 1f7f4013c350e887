import Cryptography
import Foundation
@testable import Gateways
import Testing

/// `X-Twilio-Signature` against the shared vectors (computed with twilio-python 9.13.0 and by hand).
@Suite struct TwilioSignatureTests {
    private static var vectorsFile: [String: Any] { TwilioFixtures.json("signature_vectors.json") as! [String: Any] }

    private static func parameters(_ object: Any?) -> [(name: String, value: String)] {
        ((object as? [String: String]) ?? [:]).map { ($0.key, $0.value) }
    }

    @Test func twiliosPublishedExample() throws {
        let reference = try #require(Self.vectorsFile["published_reference"] as? [String: Any])
        let url = try #require(reference["url"] as? String)
        let token = try #require(reference["auth_token"] as? String)
        let expected = try #require(reference["expected_signature"] as? String)
        #expect(expected == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        #expect(TwilioSignature.compute(url: url, parameters: Self.parameters(reference["params"]), authToken: token) == expected)
        #expect(TwilioSignature.isValid(signature: expected, url: url, parameters: Self.parameters(reference["params"]), authToken: token))
    }

    @Test func everyVectorValidatesAndTheNegativeOneFails() throws {
        let vectors = try #require(Self.vectorsFile["vectors"] as? [[String: Any]])
        #expect(vectors.count == 4)
        for vector in vectors {
            let id = vector["id"] as? Int ?? 0
            let url = try #require(vector["url"] as? String)
            let token = try #require(vector["auth_token"] as? String)
            let parameters = Self.parameters(vector["params"])
            if let expected = vector["expected_signature"] as? String {
                #expect(TwilioSignature.compute(url: url, parameters: parameters, authToken: token) == expected, "vector \(id)")
                if let body = vector["raw_body"] as? String {
                    #expect(TwilioSignature.isValidJSON(signature: expected, url: url, body: Array(body.utf8), authToken: token), "vector \(id)")
                    // The body is covered through bodySHA256: one changed byte fails.
                    let tampered = body.replacingOccurrences(of: "delivered", with: "failed")
                    #expect(!TwilioSignature.isValidJSON(signature: expected, url: url, body: Array(tampered.utf8), authToken: token))
                } else {
                    #expect(TwilioSignature.isValid(signature: expected, url: url, parameters: parameters, authToken: token), "vector \(id)")
                }
            } else {
                // Vector 4: the http:// URL a proxy-unaware server would rebuild.
                #expect(vector["expected_valid"] as? Bool == false)
                let presented = try #require(vector["signature_presented"] as? String)
                #expect(!TwilioSignature.isValid(signature: presented, url: url, parameters: parameters, authToken: token))
                let forThisURL = try #require(vector["signature_for_this_url"] as? String)
                #expect(TwilioSignature.compute(url: url, parameters: parameters, authToken: token) == forThisURL)
            }
        }
    }

    @Test func theStringToSignIsTheDocumentedOne() throws {
        // The vectors carry the exact string hashed: HMAC over it must give the same signature,
        // which pins the sort order (capitals before "msg") and the decoded en dash.
        for vector in try #require(Self.vectorsFile["vectors"] as? [[String: Any]]) {
            guard let string = vector["string_to_sign"] as? String, let expected = vector["expected_signature"] as? String else { continue }
            #expect(TwilioSignature.compute(url: string, parameters: [], authToken: TwilioFixtures.authToken) == expected)
        }
    }

    @Test func theDefaultPortIsAcceptedEitherWay() throws {
        let vectors = try #require(Self.vectorsFile["vectors"] as? [[String: Any]])
        let first = vectors[0]
        let parameters = Self.parameters(first["params"])
        let signature = try #require(first["expected_signature"] as? String)
        // Twilio signed without the port; we may be configured with ":443".
        #expect(TwilioSignature.isValid(signature: signature, url: "https://pager.example.eu:443/hooks/twilio/sms", parameters: parameters,
                                        authToken: TwilioFixtures.authToken))
        // Signed with the port (the vector's note), configured without.
        #expect(TwilioSignature.isValid(signature: "SrcRVzleNM2fEVbc9lvmIVKmT3w=", url: "https://pager.example.eu/hooks/twilio/sms",
                                        parameters: parameters, authToken: TwilioFixtures.authToken))
        // Another port is another URL.
        #expect(!TwilioSignature.isValid(signature: signature, url: "https://pager.example.eu:8443/hooks/twilio/sms", parameters: parameters,
                                         authToken: TwilioFixtures.authToken))
        #expect(TwilioSignature.urlVariants("http://[::1]:80/a?b=c") == ["http://[::1]:80/a?b=c", "http://[::1]/a?b=c"])
        #expect(TwilioSignature.urlVariants("https://h.example/x") == ["https://h.example/x", "https://h.example:443/x"])
    }

    @Test func forgedRequestsFail() throws {
        let vector = try #require((Self.vectorsFile["vectors"] as? [[String: Any]])?[0])
        let url = try #require(vector["url"] as? String)
        let signature = try #require(vector["expected_signature"] as? String)
        var parameters = Self.parameters(vector["params"])
        let token = TwilioFixtures.authToken
        #expect(TwilioSignature.isValid(signature: signature, url: url, parameters: parameters, authToken: token))
        // Another token, an empty signature, a truncated one.
        #expect(!TwilioSignature.isValid(signature: signature, url: url, parameters: parameters, authToken: "12345"))
        #expect(!TwilioSignature.isValid(signature: "", url: url, parameters: parameters, authToken: token))
        #expect(!TwilioSignature.isValid(signature: String(signature.dropLast()), url: url, parameters: parameters, authToken: token))
        // The same request with a query string appended to the URL.
        #expect(!TwilioSignature.isValid(signature: signature, url: url + "?page=x", parameters: parameters, authToken: token))
        // One changed value, one extra parameter, one dropped (even an empty one).
        var changed = parameters
        changed[changed.firstIndex { $0.name == "Body" }!].value = "ACK 4822 – on it"
        #expect(!TwilioSignature.isValid(signature: signature, url: url, parameters: changed, authToken: token))
        #expect(!TwilioSignature.isValid(signature: signature, url: url, parameters: parameters + [("Digits", "1")], authToken: token))
        parameters.removeAll { $0.name == "ToZip" }
        #expect(!TwilioSignature.isValid(signature: signature, url: url, parameters: parameters, authToken: token))
    }

    @Test func repeatedNamesSignEachValueInOrder() {
        let url = "https://pager.example.eu/x"
        // Value order does not matter (values are sorted), but every value counts.
        let a = TwilioSignature.compute(url: url, parameters: [("A", "2"), ("B", "x"), ("A", "1")], authToken: "t")
        let b = TwilioSignature.compute(url: url, parameters: [("A", "1"), ("A", "2"), ("B", "x")], authToken: "t")
        let manual = Data(HMAC.sha1(key: Array("t".utf8), message: Array((url + "A1A2Bx").utf8))).base64EncodedString()
        #expect(a == b && a == manual)
        #expect(TwilioSignature.compute(url: url, parameters: [("A", "1"), ("B", "x")], authToken: "t") != a)
    }

    @Test func theFixtureWebhooksCarryValidSignatures() throws {
        let index = try #require(TwilioFixtures.json("webhooks_index.json") as? [[String: Any]])
        #expect(index.count == 7)
        for entry in index {
            let file = try #require((entry["file"] as? String)?.replacingOccurrences(of: "twilio/", with: ""))
            let url = try #require(entry["url"] as? String)
            let signature = try #require((entry["headers"] as? [String: Any])?["X-Twilio-Signature"] as? String)
            let parameters = try TwilioWebhook.formParameters(TwilioFixtures.bytes(file))
            #expect(TwilioSignature.isValid(signature: signature, url: url, parameters: parameters, authToken: TwilioFixtures.authToken), "\(file)")
            #expect(!TwilioSignature.isValid(signature: signature, url: url.replacingOccurrences(of: "https://", with: "http://"),
                                             parameters: parameters, authToken: TwilioFixtures.authToken), "\(file)")
        }
    }
}
