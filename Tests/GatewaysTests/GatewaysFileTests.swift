import Foundation
import Gateways
import Testing

@Suite struct GatewaysFileTests {
    static let kinds: Set<String> = ["twilio", "vonage", "smtp", "webhook"]

    static let example = """
        {
          "gateways": [
            {"name": "twilio-main", "kind": "twilio", "accountSid": "AC123", "authToken": "env:TWILIO_AUTH_TOKEN", "from": "+15005550006"},
            {"name": "vonage-backup", "kind": "vonage", "apiKey": "k", "apiSecret": "env:VONAGE_SECRET"},
            {"name": "mail", "kind": "smtp", "url": "smtps://smtp.example.com:465"},
            {"name": "hooks", "kind": "webhook", "signingSecret": "env:HOOK_SECRET"}
          ],
          "routes": {"sms": ["twilio-main", "vonage-backup"], "voice": ["twilio-main", "vonage-backup"], "email": ["mail"], "webhook": ["hooks"]},
          "smsPrefixes": [{"prefix": "+44", "gateways": ["vonage-backup", "twilio-main"]}, {"prefix": "+4479", "gateways": ["twilio-main"]}]
        }
        """

    func decode(_ text: String) throws(GatewaysFileError) -> GatewaysFile {
        try GatewaysFile.decode(Data(text.utf8), kinds: Self.kinds)
    }

    func failure(_ text: String) -> String? {
        do {
            _ = try decode(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func decodesTheDocumentedExample() throws {
        let file = try decode(Self.example)
        #expect(file.gateways.map(\.name) == ["twilio-main", "vonage-backup", "mail", "hooks"])
        #expect(file.gateways.map(\.kind) == ["twilio", "vonage", "smtp", "webhook"])
        #expect(file.routes[.sms] == ["twilio-main", "vonage-backup"])
        #expect(file.routes[.email] == ["mail"])
        // Each gateway gets its whole object, secrets unresolved: the kind resolves them.
        let settings = try JSONSerialization.jsonObject(with: file.gateways[0].settings) as? [String: String]
        #expect(settings?["authToken"] == "env:TWILIO_AUTH_TOKEN")
        #expect(settings?["name"] == "twilio-main")
    }

    @Test func smsTakesTheLongestMatchingPrefixElseTheRoute() throws {
        let file = try decode(Self.example)
        #expect(file.route(for: .sms, address: "+447700900123") == ["vonage-backup", "twilio-main"])
        #expect(file.route(for: .sms, address: "+447912345678") == ["twilio-main"])
        #expect(file.route(for: .sms, address: "+4791234567") == ["twilio-main", "vonage-backup"])
        // Prefixes are for SMS only.
        #expect(file.route(for: .voice, address: "+447700900123") == ["twilio-main", "vonage-backup"])
        let noEmail = try decode(#"{"gateways": [{"name": "t", "kind": "twilio"}], "routes": {"sms": ["t"]}}"#)
        #expect(noEmail.route(for: .email, address: "a@example.com") == nil)
    }

    @Test func errorsNameTheField() {
        #expect(failure("[]") == "gateways file: is not a JSON object")
        #expect(failure(#"{"gateways": []}"#) == "gateways file: gateways must be a non-empty array")
        #expect(failure(#"{"gateways": [{"name": "t", "kind": "twilio"}], "route": {}}"#)
            == "gateways file: unknown key 'route' (known: gateways, routes, smsPrefixes)")
        #expect(failure(#"{"gateways": [{"name": "t", "kind": "twilio"}], "routes": {"sms": ["x"]}}"#)
            == "gateways file: routes.sms names unknown gateway 'x'")
        #expect(failure(#"{"gateways": [{"name": "t", "kind": "twilio"}], "routes": {"sms": ["t", "t"]}}"#)
            == "gateways file: routes.sms names gateway 't' twice")
        #expect(failure(#"{"gateways": [{"name": "t", "kind": "twilio"}], "routes": {"pigeon": ["t"]}}"#)?
            .hasPrefix("gateways file: routes.pigeon is not a contact method type") == true)
        #expect(failure(#"{"gateways": [{"name": "t", "kind": "twilio"}], "routes": {"sms": []}}"#)
            == "gateways file: routes.sms must be a non-empty array of gateway names")
        #expect(failure(#"{"gateways": [{"name": "t", "kind": "fax"}]}"#)
            == "gateways file: gateways[0].kind 'fax' of gateway 't' is unknown (known: smtp, twilio, vonage, webhook)")
        #expect(failure(#"{"gateways": [{"name": "a b", "kind": "twilio"}]}"#)?.hasPrefix("gateways file: gateways[0].name must be") == true)
        #expect(failure(#"{"gateways": [{"name": "t", "kind": "twilio"}, {"name": "t", "kind": "smtp"}]}"#)
            == "gateways file: gateways[1].name 't' is used twice")
        #expect(failure(#"{"gateways": [{"name": "t", "kind": "twilio"}], "smsPrefixes": [{"prefix": "44", "gateways": ["t"]}]}"#)
            == "gateways file: smsPrefixes[0].prefix must be '+' and 1–6 digits, e.g. \"+44\"")
        #expect(failure(#"{"gateways": [{"name": "t", "kind": "twilio"}], "smsPrefixes": [{"prefix": "+44", "gateways": ["v"]}]}"#)
            == "gateways file: smsPrefixes[0].gateways names unknown gateway 'v'")
        #expect(failure(#"{"gateways": [{"name": "t", "kind": "twilio"}], "smsPrefixes": [{"prefix": "+44", "gateways": ["t"], "via": 1}]}"#)
            == "gateways file: smsPrefixes[0] has unknown key 'via' (known: prefix, gateways)")
    }
}
