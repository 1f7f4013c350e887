/// Code that wraps route handlers: authentication, auditing, response headers...
///
/// It runs after the route is matched, so `context.routeName` and `context.parameters` are set.
/// Call `next` to continue (with a changed request or context if needed), or return a response
/// without calling it to stop the request. Errors thrown by `next` pass through unless caught.
public protocol Middleware: Sendable {
    func respond(
        to request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse
}
