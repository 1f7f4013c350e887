/// How the server treats requests for one route, decided before the body is read.
public struct RouteOptions: Sendable, Equatable {
    /// The largest request body accepted; larger ones are answered 413 unread.
    public var bodyLimit: Int
    /// Set only for handlers that never block (no disk, database or network), so they may run on
    /// the event loop without a hop to a worker thread.
    public var runsOnEventLoop: Bool
    /// Set for routes whose path carries a secret (an integration key, an ack token): the access
    /// log and metrics then show the route pattern instead of the path.
    public var pathHoldsSecret: Bool

    public init(bodyLimit: Int = RoutedRequest.defaultBodyLimit, runsOnEventLoop: Bool = false, pathHoldsSecret: Bool = false) {
        self.bodyLimit = bodyLimit
        self.runsOnEventLoop = runsOnEventLoop
        self.pathHoldsSecret = pathHoldsSecret
    }
}
