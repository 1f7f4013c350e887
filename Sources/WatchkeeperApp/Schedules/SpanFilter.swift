import Foundation
import HTTPServer
import Storage

/// `?from=&to=` on lists of overrides and temporary schedules: those whose span `[start, end)`
/// overlaps `[from, to)`. Either bound may be omitted.
enum SpanFilter {
    static let parameters: [OpenAPIOperation.Parameter] = [
        .init("from", in: .query, description: "Only those ending after this instant (RFC 3339)", schema: ScheduleSchemas.dateTime),
        .init("to", in: .query, description: "Only those starting before this instant (RFC 3339)", schema: ScheduleSchemas.dateTime),
    ]

    static func filter(_ request: HTTPRequest) throws -> ListFilter {
        let from = try instant(request, "from")
        let to = try instant(request, "to")
        if let from, let to, to <= from { throw HTTPError.invalid("to", "must be after from") }
        var filter = ListFilter()
        if let from { filter.conditions.append(.init(sql: "end_at > ?", bindings: [.init(from)])) }
        if let to { filter.conditions.append(.init(sql: "start_at < ?", bindings: [.init(to)])) }
        return filter
    }

    private static func instant(_ request: HTTPRequest, _ name: String) throws -> Date? {
        guard let text = request.query(name) else { return nil }
        guard let date = RFC3339.parse(text) else {
            throw HTTPError.invalid(name, "must be an RFC 3339 instant such as 2026-11-23T12:00:00Z (percent-encode + as %2B)")
        }
        return date
    }
}
