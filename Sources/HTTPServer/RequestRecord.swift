/// One answered request, as reported to the server's observer (for metrics).
public struct RequestRecord: Sendable {
    public var method: String
    /// The path without the query.
    public var path: String
    /// The route pattern, nil when no route matched or the request was refused before routing.
    public var routeName: String?
    public var status: Int
    /// Response body bytes sent (0 for HEAD).
    public var bodyBytes: Int
    /// Seconds from the parsed head to the response handed to the socket (streams: to their end).
    public var duration: Double
    public var remoteAddress: String

    public init(method: String, path: String, routeName: String?, status: Int, bodyBytes: Int, duration: Double, remoteAddress: String) {
        self.method = method
        self.path = path
        self.routeName = routeName
        self.status = status
        self.bodyBytes = bodyBytes
        self.duration = duration
        self.remoteAddress = remoteAddress
    }
}
