import Cryptography
import Foundation
@testable import Gateways
import HTTPServer
import Logging
import OutboundHTTP

/// Fixtures, keys and signing helpers shared by the Vonage tests.
enum VonageTestSupport {
    static let apiKey = "3f9a1c7e"
    static let apiSecret = "test-api-secret-0b9d"
    /// The signature secret of every signed fixture in ../shared/fixtures/providers/vonage.
    static let signatureSecret = "VcucG4fPAqwdkl4E6Ly6FAmBlKyj3CWi"
    static let applicationId = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
    static let publicURL = "https://pager.example.eu"
    /// The inbound SMS fixture's `timestamp`.
    static let inboundSMSTime = Date(timeIntervalSince1970: 1_773_134_200)

    static let fixtures = SharedFixtures.directory("vonage")

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    static func jsonFixture(_ name: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: fixture(name)) as? [String: Any] else {
            throw VonageTestError("\(name) is not a JSON object")
        }
        return object
    }

    /// One RSA key for the whole run, made by the openssl CLI (key generation is slow).
    static let applicationKeyPEM: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wk-vonage-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    static func settings(smsBaseURL: String = "http://127.0.0.1:9", voiceBaseURL: String = "http://127.0.0.1:9",
                         signatureMethod: String = "sha256", voice: Bool = true, extra: [String: Any] = [:]) -> Data {
        var object: [String: Any] = [
            "name": "vonage-backup", "kind": "vonage",
            "apiKey": apiKey, "apiSecret": apiSecret, "signatureSecret": signatureSecret, "signatureMethod": signatureMethod,
            "from": "+447700900500", "smsBaseURL": smsBaseURL, "voiceBaseURL": voiceBaseURL, "requestTimeoutSeconds": 2,
        ]
        if voice {
            object["applicationId"] = applicationId
            object["privateKey"] = applicationKeyPEM
        }
        for (key, value) in extra { object[key] = value }
        return try! JSONSerialization.data(withJSONObject: object)
    }

    static func gateway(smsBaseURL: String = "http://127.0.0.1:9", voiceBaseURL: String = "http://127.0.0.1:9", voice: Bool = true,
                        now: Date = inboundSMSTime, extra: [String: Any] = [:]) throws -> VonageGateway {
        try VonageGateway(name: "vonage-backup", settings: settings(smsBaseURL: smsBaseURL, voiceBaseURL: voiceBaseURL, voice: voice, extra: extra),
                          context: context(now: now))
    }

    static func context(now: Date) -> GatewayContext {
        GatewayContext(publicURL: publicURL + "/", http: HTTPClient(), logger: quietLogger, now: { now })
    }

    static let quietLogger = Logger(label: "vonage-test") { _ in SwiftLogNoOpLogHandler() }

    static func message(id: String = "msg_7Hk2", type: ContactMethodType = .sms, address: String = "+447700900123",
                        text: String = "[P1] db-primary-eu1 disk 97% full. Reply 1a to ack, 1c to resolve",
                        subject: String = "db-primary-eu1 disk 97% full") -> OutgoingMessage {
        OutgoingMessage(id: id, kind: .alert, type: type, address: address, userId: "usr_1", contactMethodId: "cm_1",
                        alertIds: ["alr_1"], subject: subject, text: text, ackLinks: ["https://pager.example.eu/a/tok"])
    }

    /// An HS256 token as Vonage signs voice webhooks, over `body`.
    static func webhookJWT(body: [UInt8], issuedAt: Date = inboundSMSTime, secret: String = signatureSecret,
                           payloadHash: String?? = .none, algorithm: String = "HS256") -> String {
        var claims: [String: Any] = ["iat": Int(issuedAt.timeIntervalSince1970), "jti": UUID().uuidString,
                                     "api_key": apiKey, "application_id": applicationId]
        switch payloadHash {
        case .none: claims["payload_hash"] = Hex.encode(Digest.sha256(body))
        case .some(.none): break
        case .some(.some(let hash)): claims["payload_hash"] = hash
        }
        let header = Base64URL.encode(Array(#"{"alg":"\#(algorithm)","typ":"JWT"}"#.utf8))
        let payload = Base64URL.encode(Array(try! JSONSerialization.data(withJSONObject: claims)))
        let signature = Base64URL.encode(HMAC.sha256(key: Array(secret.utf8), message: Array("\(header).\(payload)".utf8)))
        return "\(header).\(payload).\(signature)"
    }

    /// `parameters` with a fresh `timestamp`, `nonce` and `sig` (HMAC-SHA256 with the fixtures' secret).
    static func signed(_ parameters: [String: String], at time: Date = inboundSMSTime) -> [String: String] {
        var signed = parameters
        signed["sig"] = nil
        signed["timestamp"] = String(Int(time.timeIntervalSince1970))
        signed["nonce"] = UUID().uuidString.lowercased()
        signed["sig"] = VonageSMSSignature(secret: signatureSecret, method: .sha256).signature(of: signed).uppercased()
        return signed
    }

    static func stringValues(_ object: [String: Any]) -> [String: String] {
        object.compactMapValues { $0 as? String }
    }
}

struct VonageTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
