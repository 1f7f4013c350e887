import Synchronization
import Testing
@testable import HTTPServer

/// Appends its name to the `X-Trace` header on the way in (request) and out (response).
struct Tracer: Middleware {
    let name: String
    func respond(to request: HTTPRequest, context: RequestContext, next: (HTTPRequest, RequestContext) throws -> HTTPResponse) throws -> HTTPResponse {
        var request = request
        request.head.headers["X-Trace"] = (request.headers["X-Trace"].map { $0 + "," } ?? "") + name
        var response = try next(request, context)
        response.headers.add("X-Out", name)
        return response
    }
}

enum CurrentUser: RequestContextKey { typealias Value = String }

/// Rejects requests without a bearer token and names the user for the handler.
struct Authenticate: Middleware {
    func respond(to request: HTTPRequest, context: RequestContext, next: (HTTPRequest, RequestContext) throws -> HTTPResponse) throws -> HTTPResponse {
        guard let token = request.headers["Authorization"], token.hasPrefix("Bearer ") else {
            throw HTTPError(.unauthorized, headers: ["WWW-Authenticate": "Bearer"])
        }
        var context = context
        context[CurrentUser.self] = String(token.dropFirst("Bearer ".count))
        return try next(request, context)
    }
}

/// Records what middleware saw of the match.
final class Seen: Sendable {
    let values = Mutex<[String]>([])
}

struct RecordMatch: Middleware {
    let seen: Seen
    func respond(to request: HTTPRequest, context: RequestContext, next: (HTTPRequest, RequestContext) throws -> HTTPResponse) throws -> HTTPResponse {
        seen.values.withLock { $0.append("\(context.routeName ?? "nil") \(context.parameters["id"] ?? "-")") }
        return try next(request, context)
    }
}

let traceHandler: RouteHandler = { request, _ in .text(request.headers["X-Trace"] ?? "") }

@Suite struct MiddlewareTests {
    @Test func firstMiddlewareIsOutermost() throws {
        var router = Router()
        router.use(Tracer(name: "a"))
        router.use(Tracer(name: "b"))
        router.get("/t", traceHandler)
        let response = try send(router, "/t")
        #expect(response.text == "a,b")
        #expect(response.headers.values("X-Out") == ["b", "a"])
    }

    @Test func stackIsCapturedAtRegistration() throws {
        var router = Router()
        router.get("/before", traceHandler)
        router.use(Tracer(name: "a"))
        router.get("/after", traceHandler)
        #expect(try send(router, "/before").text == "")
        #expect(try send(router, "/after").text == "a")
    }

    @Test func groupMiddlewareStaysInsideTheGroup() throws {
        var router = Router()
        router.use(Tracer(name: "outer"))
        router.group("/api", middleware: [Tracer(name: "api")]) { api in
            api.get("/x", traceHandler)
            api.use(Tracer(name: "late"))
            api.get("/y", traceHandler)
        }
        router.get("/z", traceHandler)
        #expect(try send(router, "/api/x").text == "outer,api")
        #expect(try send(router, "/api/y").text == "outer,api,late")
        #expect(try send(router, "/z").text == "outer")
    }

    @Test func middlewareSetsContextValuesAndCanStopTheRequest() throws {
        var router = Router()
        router.group("/api", middleware: [Authenticate()]) { api in
            api.get("/me") { _, context in .text(context[CurrentUser.self] ?? "nobody") }
        }
        #expect(try send(router, "/api/me", headers: ["Authorization": "Bearer alice"]).text == "alice")
        let refused = try send(router, "/api/me")
        #expect(refused.status == .unauthorized)
        #expect(refused.headers["WWW-Authenticate"] == "Bearer")
    }

    @Test func middlewareSeesTheMatchedRoute() throws {
        let seen = Seen()
        var router = Router()
        router.use(RecordMatch(seen: seen))
        router.get("/alerts/:id", echo)
        router.fallback { _, _ in .text("fallback") }
        _ = try send(router, "/alerts/9")
        _ = try send(router, "/elsewhere")
        #expect(seen.values.withLock { $0 } == ["/alerts/:id 9", "nil -"])
    }

    @Test func routerAnswersSkipMiddleware() throws {
        let seen = Seen()
        var router = Router()
        router.use(RecordMatch(seen: seen))
        router.get("/alerts/:id", echo)
        #expect(try send(router, "/alerts/9", method: .delete).status == .methodNotAllowed)
        #expect(try send(router, "/alerts/9", method: .options).status == .noContent)
        #expect(try send(router, "/missing").status == .notFound)
        #expect(seen.values.withLock { $0 }.isEmpty)
    }

    @Test func contextStorageIsTypedAndKeyedByType() {
        enum Other: RequestContextKey { typealias Value = Int }
        var context = RequestContext()
        #expect(context[CurrentUser.self] == nil)
        context[CurrentUser.self] = "bob"
        context[Other.self] = 7
        #expect(context[CurrentUser.self] == "bob")
        #expect(context[Other.self] == 7)
        context[CurrentUser.self] = nil
        #expect(context[CurrentUser.self] == nil)
    }
}
