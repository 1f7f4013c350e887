/// Matches requests to handlers by method and path. Build it completely before the server
/// starts; it is a value, so the server's copy never changes afterwards.
///
/// Paths: patterns are `/`-separated segments; `:name` captures one non-empty segment
/// (percent-decoded into `context.parameters`), a final `*` captures the rest. Literal segments
/// beat parameters, parameters beat wildcards. Matching works on the path as sent, so an encoded
/// slash (`%2F`) stays inside its segment. A trailing slash is significant: `/users/` does not
/// match `/users` (only the root `/` has one).
///
/// Middleware: the stack in force when a route is registered is the stack that route gets.
/// `use(_:)` pushes onto the current scope; `group(_:middleware:_:)` opens a nested scope with a
/// path prefix and more middleware, which ends when its closure returns. The first middleware
/// pushed is the outermost. Middleware runs after matching; the router's own answers (404, 405,
/// automatic OPTIONS) run none.
///
/// Methods: HEAD uses the GET route when no HEAD route exists (the server drops the body).
/// OPTIONS without an OPTIONS route answers 204 with `Allow`. A path that matches with no route
/// for the method answers 405 with `Allow`. When no path matches, the fallback handles the
/// request (static files, say), or the router answers 404.
public struct Router: HTTPResponder {
    private var root = RouteNode()
    private var fallbackEndpoint: RouteEndpoint?
    private var prefix = ""
    private var middleware: [any Middleware] = []

    /// Every registered (method, pattern), in registration order.
    public private(set) var routes: [(method: HTTPMethod, pattern: String)] = []

    public init() {}

    // MARK: Building

    /// Adds `middleware` to the current scope, for the routes registered after this call.
    public mutating func use(_ middleware: any Middleware) {
        self.middleware.append(middleware)
    }

    /// Registers the routes of `body` under `prefix` ("/api/v1", no trailing slash) with
    /// `middleware` added after the current stack. Everything `body` changes is undone when it
    /// returns, so `use(_:)` inside it stays inside it.
    public mutating func group(_ prefix: String, middleware: [any Middleware] = [], _ body: (inout Router) throws -> Void) rethrows {
        precondition(prefix.isEmpty || (prefix.hasPrefix("/") && !prefix.hasSuffix("/")),
                     "group prefix '\(prefix)' must start with '/' and not end with '/'")
        let (savedPrefix, savedMiddleware) = (self.prefix, self.middleware)
        defer { (self.prefix, self.middleware) = (savedPrefix, savedMiddleware) }
        self.prefix += prefix
        self.middleware += middleware
        try body(&self)
    }

    public mutating func add(method: HTTPMethod, _ pattern: String, options: RouteOptions = RouteOptions(), _ handler: @escaping RouteHandler) {
        let pattern = RoutePattern(RoutePattern.join(prefix, pattern))
        let endpoint = RouteEndpoint(pattern: pattern.text, options: options, handler: wrap(handler))
        root.insert(pattern.segments[...], method: method, endpoint: endpoint)
        routes.append((method, pattern.text))
    }

    public mutating func get(_ pattern: String, options: RouteOptions = RouteOptions(), _ handler: @escaping RouteHandler) {
        add(method: .get, pattern, options: options, handler)
    }

    public mutating func post(_ pattern: String, options: RouteOptions = RouteOptions(), _ handler: @escaping RouteHandler) {
        add(method: .post, pattern, options: options, handler)
    }

    public mutating func put(_ pattern: String, options: RouteOptions = RouteOptions(), _ handler: @escaping RouteHandler) {
        add(method: .put, pattern, options: options, handler)
    }

    public mutating func patch(_ pattern: String, options: RouteOptions = RouteOptions(), _ handler: @escaping RouteHandler) {
        add(method: .patch, pattern, options: options, handler)
    }

    public mutating func delete(_ pattern: String, options: RouteOptions = RouteOptions(), _ handler: @escaping RouteHandler) {
        add(method: .delete, pattern, options: options, handler)
    }

    /// Handles every request whose path matches no route, with the middleware in force now.
    /// Its context has no parameters and a nil `routeName`.
    public mutating func fallback(options: RouteOptions = RouteOptions(), _ handler: @escaping RouteHandler) {
        fallbackEndpoint = RouteEndpoint(pattern: "", options: options, handler: wrap(handler))
    }

    private func wrap(_ handler: @escaping RouteHandler) -> RouteHandler {
        middleware.reversed().reduce(handler) { next, middleware in
            { request, context in try middleware.respond(to: request, context: context, next: next) }
        }
    }

    // MARK: Routing

    public func route(_ head: HTTPRequestHead) -> RoutedRequest {
        if head.method == .options && head.path == "*" {
            return Self.answer(routeName: nil) { Self.allowResponse(HTTPMethod.implemented) }
        }
        var parameters: [String: String] = [:]
        var malformed = false
        // Every route ending at one node has the same pattern (parameter names must agree).
        guard let endpoints = match(head.path, &parameters, &malformed), let routeName = endpoints.values.first?.pattern else {
            if let fallbackEndpoint { return fallbackEndpoint.plan(RequestContext()) }
            return Self.answer(routeName: nil) { .problem(.notFound) }
        }
        guard let endpoint = endpoints[head.method] ?? (head.method == .head ? endpoints[.get] : nil) else {
            let methods = Set(endpoints.keys)
            if head.method == .options {
                return Self.answer(routeName: routeName) { Self.allowResponse(methods) }
            }
            return Self.answer(routeName: routeName) {
                HTTPResponse(error: HTTPError(.methodNotAllowed, detail: "\(head.method) is not allowed here",
                                              headers: ["Allow": Self.allow(methods)]))
            }
        }
        if malformed {
            return Self.answer(routeName: routeName) { .problem(.badRequest, detail: "malformed percent-encoding in the path") }
        }
        return endpoint.plan(RequestContext(parameters: parameters, routeName: routeName))
    }

    private func match(_ path: String, _ parameters: inout [String: String], _ malformed: inout Bool) -> [HTTPMethod: RouteEndpoint]? {
        guard path.utf8.first == UInt8(ascii: "/") else { return nil }
        if path.utf8.count == 1 {
            // The root has no segments, but a root wildcard "/*" still matches it, with "" as the rest.
            if !root.endpoints.isEmpty { return root.endpoints }
            if root.wildcardEndpoints.isEmpty { return nil }
            parameters["*"] = ""
            return root.wildcardEndpoints
        }
        return root.find(path.dropFirst(), &parameters, &malformed)
    }

    /// A router-made answer: it never blocks, so it runs on the event loop, and it is built only
    /// when the server asks for it.
    private static func answer(routeName: String?, _ response: @escaping @Sendable () -> HTTPResponse) -> RoutedRequest {
        RoutedRequest(runsOnEventLoop: true, routeName: routeName, respond: { _ in response() })
    }

    private static func allowResponse(_ methods: Set<HTTPMethod>) -> HTTPResponse {
        HTTPResponse(status: .noContent, headers: ["Allow": allow(methods)])
    }

    /// The `Allow` value for a path with routes for `methods`: HEAD wherever GET is, and OPTIONS
    /// always, in a fixed order.
    static func allow(_ methods: Set<HTTPMethod>) -> String {
        let order: [HTTPMethod] = [.get, .head, .post, .put, .patch, .delete, .options]
        return order.filter { method in
            switch method {
            case .head: methods.contains(.head) || methods.contains(.get)
            case .options: true
            default: methods.contains(method)
            }
        }.map(\.rawValue).joined(separator: ", ")
    }
}
