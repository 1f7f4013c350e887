/// An RFC 9457 problem document (`application/problem+json`).
public struct ProblemDetails: Codable, Sendable, Equatable {
    /// One input at fault: `field` is a dotted path into the request body or the name of a
    /// query/path parameter or header.
    public struct FieldError: Codable, Sendable, Equatable {
        public var field: String
        public var detail: String
        public init(field: String, detail: String) { self.field = field; self.detail = detail }
    }

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var instance: String?
    public var errors: [FieldError]?

    public init(type: String = "about:blank", title: String, status: Int, detail: String? = nil, instance: String? = nil, errors: [FieldError]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.instance = instance
        self.errors = errors
    }

    public static let contentType = "application/problem+json"
}
