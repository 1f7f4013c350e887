import Foundation
import HTTPServer
import Logging

/// A request from Twilio to one of the gateway's routes, authenticated: only `authenticate`
/// makes one, and only when `X-Twilio-Signature` matches.
struct TwilioWebhook {
    /// The POST parameters, decoded, in order (a name may repeat).
    let parameters: [(name: String, value: String)]

    func value(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// `value(name)` (or, when absent, the legacy `fallback`), or a 400 naming the missing parameter.
    func required(_ name: String, or fallback: String? = nil) throws(HTTPError) -> String {
        if let value = value(name), !value.isEmpty { return value }
        if let fallback, let value = value(fallback), !value.isEmpty { return value }
        throw HTTPError.invalid(name, "\(name) is missing")
    }

    /// Checks the signature of `request`, which Twilio sent to `signedURL` (the public URL with the
    /// path and query exactly as received). Form bodies sign their parameters; JSON bodies sign
    /// `bodySHA256` in the URL, and their top-level values become the parameters.
    static func authenticate(_ request: HTTPRequest, signedURL: String, authToken: String, logger: Logger) throws(HTTPError) -> TwilioWebhook {
        guard let signature = request.headers["X-Twilio-Signature"], !signature.isEmpty else {
            logger.warning("Twilio callback without a signature refused", metadata: ["url": "\(signedURL)"])
            throw HTTPError(.forbidden, detail: "X-Twilio-Signature is missing")
        }
        let isJSON = request.headers["Content-Type"].flatMap { MediaType(parsing: $0) }?.isJSON ?? false
        let parameters: [(name: String, value: String)]
        let valid: Bool
        if isJSON {
            valid = TwilioSignature.isValidJSON(signature: signature, url: signedURL, body: request.body, authToken: authToken)
            parameters = valid ? try jsonParameters(request.body) : []
        } else {
            parameters = try formParameters(request.body)
            valid = TwilioSignature.isValid(signature: signature, url: signedURL, parameters: parameters, authToken: authToken)
        }
        guard valid else {
            logger.warning("Twilio callback with a wrong signature refused", metadata: ["url": "\(signedURL)"])
            throw HTTPError(.forbidden, detail: "X-Twilio-Signature does not match this request: check the gateway's authToken, and that the public URL is the one Twilio calls")
        }
        return TwilioWebhook(parameters: parameters)
    }

    /// `application/x-www-form-urlencoded`: `+` is a space, escapes are UTF-8; empty values and
    /// repeats are kept and nothing is trimmed, since every byte is signed.
    static func formParameters(_ body: [UInt8]) throws(HTTPError) -> [(name: String, value: String)] {
        guard let text = String(validating: body, as: UTF8.self) else { throw HTTPError(.badRequest, detail: "the body is not UTF-8") }
        var parameters: [(name: String, value: String)] = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentEncoding.decode(String(parts[0]), plusAsSpace: true),
                  let value = PercentEncoding.decode(parts.count > 1 ? String(parts[1]) : "", plusAsSpace: true) else {
                throw HTTPError(.badRequest, detail: "malformed percent-encoding in the body")
            }
            parameters.append((name, value))
        }
        return parameters
    }

    /// A JSON object's top-level strings, numbers and booleans, as text.
    static func jsonParameters(_ body: [UInt8]) throws(HTTPError) -> [(name: String, value: String)] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw HTTPError(.badRequest, detail: "the body is not a JSON object")
        }
        return object.keys.sorted().compactMap { key in
            switch object[key] {
            case let text as String: (key, text)
            case let number as NSNumber: (key, number.stringValue)
            default: nil
            }
        }
    }
}
