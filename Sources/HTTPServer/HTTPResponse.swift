/// A response. The server adds `Date`, `Server`, `Content-Length` or `Transfer-Encoding`, and
/// `Connection` itself; handlers set everything else.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: HTTPResponseBody

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: HTTPResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: HTTPStatus = .ok, contentType: String, body: [UInt8]) {
        self.init(status: status, headers: ["Content-Type": contentType], body: .bytes(body))
    }

    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }
}

/// What follows the head: a known byte string (sent with `Content-Length`), or a producer that
/// writes chunks as they become available (sent with `Transfer-Encoding: chunked`).
public enum HTTPResponseBody: Sendable {
    case bytes([UInt8])
    /// Runs on a worker thread; each `write` blocks while the client is slow to read (backpressure).
    case stream(@Sendable (_ writer: any HTTPBodyWriter) throws -> Void)

    public static var empty: HTTPResponseBody { .bytes([]) }
}

/// Where a streamed response writes its chunks.
public protocol HTTPBodyWriter: Sendable {
    /// Sends one chunk; throws when the client has gone away.
    func write(_ bytes: [UInt8]) throws
}
