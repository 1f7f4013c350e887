import HTTPServer

/// Reads members of an event body, collecting a field error for each problem instead of
/// stopping at the first, so one 400 names everything wrong.
struct EventFieldReader {
    static let maximumDedupKeyLength = 255
    static let maximumSummaryLength = 1024
    static let maximumTextLength = 1024

    private(set) var errors: [ProblemDetails.FieldError] = []

    mutating func fail(_ field: String, _ detail: String) { errors.append(.init(field: field, detail: detail)) }

    /// A string member, nil when absent or null; `required` makes absence an error.
    mutating func string(_ object: [String: JSONValue], _ member: String, field: String, required: Bool = false,
                         maximum: Int = maximumTextLength) -> String? {
        switch object[member] {
        case nil, .null?:
            if required { fail(field, "is required") }
            return nil
        case .string(let text)?:
            if required && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { fail(field, "must not be empty"); return nil }
            if text.count > maximum { fail(field, "must be at most \(maximum) characters"); return nil }
            return text
        default:
            fail(field, "must be a string")
            return nil
        }
    }

    /// A string member that must be one of `allowed`.
    mutating func choice(_ object: [String: JSONValue], _ member: String, field: String, allowed: [String], required: Bool = false) -> String? {
        guard let text = string(object, member, field: field, required: required) else { return nil }
        guard allowed.contains(text) else { fail(field, "must be one of \(allowed.joined(separator: ", ")), got \"\(text)\""); return nil }
        return text
    }

    mutating func dedupKey(_ object: [String: JSONValue], field: String, action: AlertEvent.Action) -> String? {
        // PagerDuty needs the key to find the alert an acknowledge or resolve is about.
        string(object, field, field: field, required: action != .trigger, maximum: Self.maximumDedupKeyLength)
    }

    mutating func links(_ value: JSONValue?, field: String) -> [AlertLink] {
        guard let value, value != .null else { return [] }
        guard case .array(let items) = value else { fail(field, "must be an array of {href, text}"); return [] }
        return items.enumerated().compactMap { index, item in
            guard case .object(let link) = item else { fail("\(field).\(index)", "must be an object {href, text}"); return nil }
            guard let href = string(link, "href", field: "\(field).\(index).href", required: true, maximum: 2048) else { return nil }
            return AlertLink(href: href, text: string(link, "text", field: "\(field).\(index).text"))
        }
    }

    func finish() throws {
        guard errors.isEmpty else {
            throw HTTPError(.badRequest, detail: "invalid event: " + errors.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: errors)
        }
    }
}
