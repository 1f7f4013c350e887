import Foundation
import HTTPServer

/// The parameters of an SMS webhook (inbound SMS or delivery receipt), in whichever flavour the
/// dashboard is set to: GET with a query string, POST form-encoded, or POST JSON. Values are the
/// decoded strings that were signed.
enum VonageWebhookParameters {
    static func parse(_ request: HTTPRequest) throws(HTTPError) -> [String: String] {
        if request.method == .get { return firstOfEach(request.queryItems) }
        let contentType = request.headers["Content-Type"].flatMap(MediaType.init(parsing:))
        if contentType?.isJSON == true { return try json(request.body) }
        if contentType.map({ $0.type == "application" && $0.subtype == "x-www-form-urlencoded" }) ?? false {
            return try form(request.body)
        }
        throw HTTPError(.unsupportedMediaType, detail: "expected application/json or application/x-www-form-urlencoded")
    }

    static func form(_ body: [UInt8]) throws(HTTPError) -> [String: String] {
        guard let text = String(validating: body, as: UTF8.self) else { throw HTTPError(.badRequest, detail: "the body is not UTF-8") }
        var items: [(name: String, value: String)] = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentEncoding.decode(String(parts[0]), plusAsSpace: true),
                  let value = PercentEncoding.decode(parts.count > 1 ? String(parts[1]) : "", plusAsSpace: true) else {
                throw HTTPError(.badRequest, detail: "malformed percent-encoding in the body")
            }
            items.append((name, value))
        }
        return firstOfEach(items)
    }

    /// A flat JSON object. Vonage writes every value as a string; a number is taken as its digits.
    static func json(_ body: [UInt8]) throws(HTTPError) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw HTTPError(.badRequest, detail: "the body is not a JSON object")
        }
        var parameters: [String: String] = [:]
        for (name, value) in object {
            switch value {
            case let text as String: parameters[name] = text
            case let number as NSNumber: parameters[name] = number.stringValue
            case is NSNull: parameters[name] = ""
            default: throw HTTPError.invalid(name, "\(name) is not a plain value")
            }
        }
        return parameters
    }

    /// A repeated name keeps its first value (Vonage never repeats one).
    private static func firstOfEach(_ items: [(name: String, value: String)]) -> [String: String] {
        var parameters: [String: String] = [:]
        for item in items where parameters[item.name] == nil { parameters[item.name] = item.value }
        return parameters
    }
}
