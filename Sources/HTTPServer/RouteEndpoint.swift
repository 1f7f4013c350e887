/// One registered route for one method: its pattern, options, and handler with the middleware
/// stack already wrapped around it.
struct RouteEndpoint: Sendable {
    let pattern: String
    let options: RouteOptions
    let handler: RouteHandler

    /// The plan for one request, with the context bound so nothing is matched twice.
    func plan(_ context: RequestContext) -> RoutedRequest {
        let handler = handler
        return RoutedRequest(
            bodyLimit: options.bodyLimit,
            runsOnEventLoop: options.runsOnEventLoop,
            routeName: context.routeName,
            pathHoldsSecret: options.pathHoldsSecret,
            respond: { request in try handler(request, context) }
        )
    }
}
