/// Answers one matched request. Throw `HTTPError` for a problem response; any other error becomes
/// a 500 at the server.
public typealias RouteHandler = @Sendable (HTTPRequest, RequestContext) throws -> HTTPResponse
