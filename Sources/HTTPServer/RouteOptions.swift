/// How the server treats requests for one route, decided before the body is read.
public struct RouteOptions: Sendable, Equatable {
    /// The largest request body accepted; larger ones are answered 413 unread.
    public var bodyLimit: Int
    /// Set only for handlers that never block (no disk, database or network), so they may run on
    /// the event loop without a hop to a worker thread.
    public var runsOnEventLoop: Bool

    public init(bodyLimit: Int = RoutedRequest.defaultBodyLimit, runsOnEventLoop: Bool = false) {
        self.bodyLimit = bodyLimit
        self.runsOnEventLoop = runsOnEventLoop
    }
}
