/// A route pattern split into segments: `/api/v1/users/:id`, `/assets/*`, `/`.
///
/// Literal segments are compared with the request path as sent, still percent-encoded, so write
/// them as they appear on the wire. A `:name` segment matches one non-empty segment; a final `*`
/// matches the rest of the path after its slash (possibly empty). Patterns are fixed when the
/// program is written, so a malformed one stops the program at startup.
struct RoutePattern: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case wildcard
    }

    let text: String
    let segments: [Segment]

    init(_ text: String) {
        precondition(text.hasPrefix("/"), "route pattern '\(text)' must start with '/'")
        self.text = text
        // "/" is the root, with no segments; otherwise every slash starts one ("/a/" is "a", "").
        let body = text.dropFirst()
        let parts = body.isEmpty ? [] : body.split(separator: "/", omittingEmptySubsequences: false)
        var names: Set<Substring> = []
        segments = parts.enumerated().map { index, part in
            if part == "*" {
                precondition(index == parts.count - 1, "'*' must be the last segment of route pattern '\(text)'")
                return .wildcard
            }
            if part.hasPrefix(":") {
                let name = part.dropFirst()
                precondition(!name.isEmpty, "empty parameter name in route pattern '\(text)'")
                precondition(names.insert(name).inserted, "parameter ':\(name)' appears twice in route pattern '\(text)'")
                return .parameter(String(name))
            }
            return .literal(String(part))
        }
    }

    /// `prefix` + `pattern` for groups: "/api/v1" + "/users" is "/api/v1/users"; "" names the
    /// prefix itself.
    static func join(_ prefix: String, _ pattern: String) -> String {
        if prefix.isEmpty { return pattern }
        if pattern.isEmpty { return prefix }
        precondition(pattern.hasPrefix("/"), "route pattern '\(pattern)' must start with '/'")
        return prefix + pattern
    }
}
