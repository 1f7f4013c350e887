import Cryptography
import Foundation

/// The `sig` Vonage adds to signed inbound SMS and delivery receipts: over every parameter but
/// `sig`, sorted by name in byte order, `&name=value` with each `&` and `=` inside a value
/// replaced by `_`; then HMAC(secret, string) or, for md5hash, MD5(string + secret), in hex.
/// `timestamp` and `nonce` are among the signed parameters, so a fresh timestamp bounds replays.
struct VonageSMSSignature: Sendable {
    var secret: String
    var method: VonageSignatureMethod

    static func stringToSign(_ parameters: [String: String]) -> String {
        parameters.keys.filter { $0 != "sig" }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { name in
                let value = parameters[name, default: ""].replacingOccurrences(of: "&", with: "_").replacingOccurrences(of: "=", with: "_")
                return "&\(name)=\(value)"
            }
            .joined()
    }

    /// Lower-case hex, as the SDKs write it.
    func signature(of parameters: [String: String]) -> String {
        let text = Self.stringToSign(parameters)
        switch method {
        case .sha256: return Hex.encode(HMAC.sha256(key: Array(secret.utf8), message: Array(text.utf8)))
        case .sha1: return Hex.encode(HMAC.sha1(key: Array(secret.utf8), message: Array(text.utf8)))
        case .md5hash: return Hex.encode(Digest.md5(Array((text + secret).utf8)))
        }
    }

    /// Why `parameters` must be refused, or nil when they carry a valid, fresh signature.
    func rejection(of parameters: [String: String], now: Date, maximumAge: TimeInterval) -> String? {
        guard let presented = parameters["sig"], !presented.isEmpty else { return "the request is not signed" }
        // Hex either case: Vonage sends upper case. Decoding both sides compares bytes, not spelling.
        guard let presentedBytes = Hex.decode(presented), let expected = Hex.decode(signature(of: parameters)),
              constantTimeEquals(presentedBytes, expected) else {
            return "the signature does not match"
        }
        guard let stamp = parameters["timestamp"].flatMap(TimeInterval.init) else { return "the signed request has no timestamp" }
        guard abs(now.timeIntervalSince1970 - stamp) <= maximumAge else { return "the signed request is stale" }
        return nil
    }
}
