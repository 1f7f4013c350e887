/// An error a handler throws to answer with a problem document. Any other error thrown by a
/// handler becomes a 500 whose details are logged, never sent.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPStatus
    public var detail: String?
    public var errors: [ProblemDetails.FieldError]
    /// Extra response headers (`WWW-Authenticate`, `Allow`, `Retry-After`, `ETag`...).
    public var headers: HTTPHeaders
    /// A URI naming the problem type; "about:blank" means the status says it all.
    public var type: String
    public var title: String?

    public init(_ status: HTTPStatus, detail: String? = nil, errors: [ProblemDetails.FieldError] = [], headers: HTTPHeaders = HTTPHeaders(), type: String = "about:blank", title: String? = nil) {
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers
        self.type = type
        self.title = title
    }

    /// A 400 naming the field at fault.
    public static func invalid(_ field: String, _ detail: String) -> HTTPError {
        HTTPError(.badRequest, detail: detail, errors: [.init(field: field, detail: detail)])
    }

    public var problem: ProblemDetails {
        ProblemDetails(type: type, title: title ?? status.reasonPhrase, status: status.code, detail: detail, errors: errors.isEmpty ? nil : errors)
    }

    public var description: String { "\(status)" + (detail.map { ": \($0)" } ?? "") }
}
