import Testing
@testable import HTTPServer

/// Routes `target` and runs the handler the way the server does, turning a thrown `HTTPError`
/// into its problem response.
func send(_ router: Router, _ target: String, method: HTTPMethod = .get, headers: HTTPHeaders = [:], body: [UInt8] = []) throws -> HTTPResponse {
    let head = HTTPRequestHead(method: method, target: target, headers: headers)
    let plan = router.route(head)
    do {
        return try plan.respond(HTTPRequest(head: head, body: body))
    } catch let error as HTTPError {
        return HTTPResponse(error: error)
    }
}

extension HTTPResponse {
    var text: String {
        guard case .bytes(let bytes) = body else { return "<stream>" }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A handler that answers with the route name and the parameters, to see what matched.
let echo: RouteHandler = { request, context in
    let parameters = context.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    return .text("\(request.method) \(context.routeName ?? "-") \(parameters.joined(separator: ","))")
}

@Suite struct RouterTests {
    @Test func literalBeatsParameterBeatsWildcard() throws {
        var router = Router()
        router.get("/users/:id", echo)
        router.get("/users/me", echo)
        router.get("/users/*", echo)
        #expect(try send(router, "/users/me").text == "GET /users/me ")
        #expect(try send(router, "/users/42").text == "GET /users/:id id=42")
        #expect(try send(router, "/users/42/avatar").text == "GET /users/* *=42/avatar")
        #expect(try send(router, "/users/").text == "GET /users/* *=")
    }

    @Test func deadEndLiteralBranchFallsBackToParameter() throws {
        var router = Router()
        router.get("/users/me/settings", echo)
        router.get("/users/:id/posts", echo)
        #expect(try send(router, "/users/me/posts").text == "GET /users/:id/posts id=me")
        #expect(try send(router, "/users/me/settings").text == "GET /users/me/settings ")
    }

    @Test func parametersArePercentDecodedAndEncodedSlashStaysInSegment() throws {
        var router = Router()
        router.get("/teams/:team/members/:user", echo)
        #expect(try send(router, "/teams/red%20team/members/a%2Fb").text == "GET /teams/:team/members/:user team=red team,user=a/b")
        #expect(try send(router, "/teams/%C3%A9quipe/members/x?y=1").text == "GET /teams/:team/members/:user team=équipe,user=x")
        let bad = try send(router, "/teams/%zz/members/x")
        #expect(bad.status == .badRequest)
    }

    @Test func parameterNeedsNonEmptySegment() throws {
        var router = Router()
        router.get("/users/:id", echo)
        #expect(try send(router, "/users/").status == .notFound)
        #expect(try send(router, "/users").status == .notFound)
    }

    @Test func wildcardKeepsTheRestEncoded() throws {
        var router = Router()
        router.get("/files/*", echo)
        #expect(try send(router, "/files/a%2Fb/c").text == "GET /files/* *=a%2Fb/c")
        #expect(try send(router, "/files").status == .notFound)
    }

    @Test func trailingSlashIsSignificantExceptRoot() throws {
        var router = Router()
        router.get("/", echo)
        router.get("/users", echo)
        #expect(try send(router, "/").text == "GET / ")
        #expect(try send(router, "/users").status == .ok)
        #expect(try send(router, "/users/").status == .notFound)
        #expect(try send(router, "//users").status == .notFound)
    }

    @Test func rootWildcardMatchesRoot() throws {
        var router = Router()
        router.get("/*", echo)
        #expect(try send(router, "/").text == "GET /* *=")
        #expect(try send(router, "/a/b").text == "GET /* *=a/b")
    }

    @Test func unknownPathIs404Problem() throws {
        var router = Router()
        router.get("/a", echo)
        let response = try send(router, "/b")
        #expect(response.status == .notFound)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(router.route(HTTPRequestHead(method: .get, target: "/b")).routeName == nil)
        #expect(try send(router, "http://example.com/a").status == .notFound)
    }

    @Test func wrongMethodIs405WithAllow() throws {
        var router = Router()
        router.get("/alerts/:id", echo)
        router.patch("/alerts/:id", echo)
        let response = try send(router, "/alerts/7", method: .delete)
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD, PATCH, OPTIONS")
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(router.route(HTTPRequestHead(method: .delete, target: "/alerts/7")).routeName == "/alerts/:id")
    }

    @Test func headFallsBackToGetUnlessHeadIsRegistered() throws {
        var router = Router()
        router.get("/a", echo)
        router.get("/b", echo)
        router.add(method: .head, "/b") { _, _ in HTTPResponse(status: .accepted) }
        #expect(try send(router, "/a", method: .head).text == "HEAD /a ")
        #expect(try send(router, "/b", method: .head).status == .accepted)
        router.post("/c", echo)
        #expect(try send(router, "/c", method: .head).status == .methodNotAllowed)
    }

    @Test func optionsAnswers204WithAllowUnlessRegistered() throws {
        var router = Router()
        router.post("/hooks/:key", echo)
        router.put("/hooks/:key", echo)
        router.get("/cors", echo)
        router.add(method: .options, "/cors") { _, _ in HTTPResponse(status: .ok) }
        let response = try send(router, "/hooks/abc", method: .options)
        #expect(response.status == .noContent)
        #expect(response.headers["Allow"] == "POST, PUT, OPTIONS")
        #expect(try send(router, "/cors", method: .options).status == .ok)
        #expect(try send(router, "*", method: .options).headers["Allow"] == "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
        #expect(try send(router, "/nothing", method: .options).status == .notFound)
    }

    @Test func optionsAreCarriedIntoThePlan() {
        var router = Router()
        router.post("/upload", options: RouteOptions(bodyLimit: 10 << 20), echo)
        router.get("/health", options: RouteOptions(runsOnEventLoop: true), echo)
        router.get("/plain", echo)
        router.post("/hooks/:key", options: RouteOptions(pathHoldsSecret: true), echo)
        let upload = router.route(HTTPRequestHead(method: .post, target: "/upload"))
        #expect(upload.bodyLimit == 10 << 20)
        #expect(!upload.runsOnEventLoop)
        #expect(upload.routeName == "/upload")
        let health = router.route(HTTPRequestHead(method: .get, target: "/health"))
        #expect(health.runsOnEventLoop)
        #expect(health.bodyLimit == RoutedRequest.defaultBodyLimit)
        let plain = router.route(HTTPRequestHead(method: .get, target: "/plain"))
        #expect(plain.bodyLimit == 1 << 20 && !plain.runsOnEventLoop && !plain.pathHoldsSecret)
        let hook = router.route(HTTPRequestHead(method: .post, target: "/hooks/s3cret"))
        #expect(hook.pathHoldsSecret && hook.routeName == "/hooks/:key")
    }

    @Test func fallbackHandlesUnmatchedPathsOnly() throws {
        var router = Router()
        router.get("/api/v1/ping", echo)
        router.fallback(options: RouteOptions(bodyLimit: 0)) { request, context in
            .text("fallback \(request.path) \(context.routeName ?? "nil")")
        }
        #expect(try send(router, "/index.html").text == "fallback /index.html nil")
        #expect(router.route(HTTPRequestHead(method: .get, target: "/x")).bodyLimit == 0)
        #expect(try send(router, "/api/v1/ping").text == "GET /api/v1/ping ")
        #expect(try send(router, "/api/v1/ping", method: .post).status == .methodNotAllowed)
    }

    @Test func groupsPrefixPatternsAndRoutesAreListed() throws {
        var router = Router()
        router.get("/health", echo)
        router.group("/api/v1") { api in
            api.get("", echo)
            api.get("/users/:id", echo)
            api.group("/teams") { teams in
                teams.post("/:team/members", echo)
            }
            api.delete("/users/:id", echo)
        }
        router.get("/after", echo)
        #expect(router.routes.map { "\($0.method) \($0.pattern)" } == [
            "GET /health", "GET /api/v1", "GET /api/v1/users/:id", "POST /api/v1/teams/:team/members",
            "DELETE /api/v1/users/:id", "GET /after",
        ])
        #expect(try send(router, "/api/v1/teams/red/members", method: .post).text == "POST /api/v1/teams/:team/members team=red")
        #expect(try send(router, "/api/v1").status == .ok)
    }

    @Test func handlerErrorsPassThroughThePlan() {
        var router = Router()
        router.get("/boom") { _, _ in throw HTTPError(.conflict, detail: "busy") }
        let plan = router.route(HTTPRequestHead(method: .get, target: "/boom"))
        #expect(throws: HTTPError.self) { try plan.respond(HTTPRequest(head: HTTPRequestHead(method: .get, target: "/boom"))) }
    }

    @Test func parameterHelpers() throws {
        let context = RequestContext(parameters: ["id": "42", "name": "x"], routeName: "/u/:id")
        #expect(try context.parameter("id") == "42")
        #expect(try context.parameter("id", as: Int.self) == 42)
        #expect(throws: HTTPError.self) { try context.parameter("missing") }
        do {
            _ = try context.parameter("name", as: Int.self)
            Issue.record("expected an error")
        } catch let error as HTTPError {
            #expect(error.status == .badRequest)
            #expect(error.errors.first?.field == "name")
        }
        do {
            _ = try context.parameter("missing")
        } catch let error as HTTPError {
            #expect(error.status == .notFound)
        }
    }

    @Test func matchingIsFastEnoughForTheEventLoop() {
        var router = Router()
        for index in 0..<200 {
            router.get("/api/v1/resource\(index)/:id/sub/:sub", echo)
        }
        let head = HTTPRequestHead(method: .get, target: "/api/v1/resource199/12345/sub/abc")
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<20_000 { _ = router.route(head) }
        }
        // Debug build on a shared core: generous, but catches an accidental linear scan with regexes.
        #expect(elapsed < .seconds(2))
        #expect(router.route(head).routeName == "/api/v1/resource199/:id/sub/:sub")
    }
}
