import HTTPServer

/// The `If-Match` precondition of a PUT or DELETE (RFC 9110 §13.1.1): `*` or a list of entity
/// tags, compared strongly with the current version's. Absent means unconditional.
struct IfMatch: Sendable {
    private let tags: [ETag]?

    /// Nil when the request has no `If-Match`; 400 naming the header when it is malformed.
    init?(_ request: HTTPRequest) throws {
        let values = request.headers.values("If-Match")
        guard !values.isEmpty else { return nil }
        if values.contains(where: { $0.trimmingCharacters(in: .whitespaces) == "*" }) {
            tags = nil
            return
        }
        var tags: [ETag] = []
        for value in values {
            guard let parsed = ETag.parseList(value), !parsed.isEmpty else {
                throw HTTPError.invalid("If-Match", "must be * or a list of entity tags such as \"3\", as sent in ETag")
            }
            tags += parsed
        }
        self.tags = tags
    }

    func isSatisfied(by current: ETag) -> Bool {
        guard let tags else { return true }
        return tags.contains { $0.stronglyMatches(current) }
    }
}
