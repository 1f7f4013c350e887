import Foundation
import HTTPServer

/// The instants and ranges the on-call endpoints read from the query string, with 400s that
/// name the parameter at fault.
enum InstantQuery {
    /// The longest `[from, to)` a shifts or history request may cover.
    static let maximumRange: TimeInterval = 366 * 86_400

    /// `name` as an RFC 3339 instant, or `fallback` when absent.
    static func instant(_ request: HTTPRequest, _ name: String, default fallback: Date) throws -> Date {
        guard let text = request.query(name) else { return fallback }
        return try parse(text, name)
    }

    /// The required `from` and `to`, with `to` after `from` and at most `maximumRange` apart.
    static func range(_ request: HTTPRequest) throws -> Range<Date> {
        guard let fromText = request.query("from") else { throw HTTPError.invalid("from", "from is required (an RFC 3339 instant)") }
        guard let toText = request.query("to") else { throw HTTPError.invalid("to", "to is required (an RFC 3339 instant)") }
        let from = try parse(fromText, "from")
        let to = try parse(toText, "to")
        guard to > from else { throw HTTPError.invalid("to", "to must be after from") }
        guard to.timeIntervalSince(from) <= maximumRange else {
            throw HTTPError.invalid("to", "the range may cover at most \(Int(maximumRange / 86_400)) days")
        }
        return from..<to
    }

    private static func parse(_ text: String, _ name: String) throws -> Date {
        guard let date = RFC3339.parse(text) else {
            throw HTTPError.invalid(name, "\(name) must be an RFC 3339 instant such as 2026-11-23T12:00:00Z")
        }
        return date
    }
}
