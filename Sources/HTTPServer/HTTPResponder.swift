/// The application side of the server: given a request head, says how to handle the request.
///
/// The server calls `route(_:)` on its event loop as soon as a head is parsed, so it must be
/// fast and must not block: it only matches the route. The returned plan tells the server the
/// body limit (checked before the body is read, so an oversized upload is refused early) and
/// where to run the handler.
public protocol HTTPResponder: Sendable {
    func route(_ head: HTTPRequestHead) -> RoutedRequest
}

public struct RoutedRequest: Sendable {
    /// The largest body this route accepts; larger bodies are answered 413 without being read.
    public var bodyLimit: Int
    /// True only for handlers that never block (no database, no disk, no network): they run on
    /// the event loop and skip the hop to a worker thread. Everything else runs on a worker.
    public var runsOnEventLoop: Bool
    /// The route pattern ("/api/v1/users/:id"), for metrics; nil when nothing matched.
    public var routeName: String?
    /// The path carries a secret: log `routeName` instead of it.
    public var pathHoldsSecret: Bool
    public var respond: @Sendable (HTTPRequest) throws -> HTTPResponse

    public static let defaultBodyLimit = 1 << 20

    public init(
        bodyLimit: Int = RoutedRequest.defaultBodyLimit,
        runsOnEventLoop: Bool = false,
        routeName: String? = nil,
        pathHoldsSecret: Bool = false,
        respond: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse
    ) {
        self.bodyLimit = bodyLimit
        self.runsOnEventLoop = runsOnEventLoop
        self.routeName = routeName
        self.pathHoldsSecret = pathHoldsSecret
        self.respond = respond
    }
}
