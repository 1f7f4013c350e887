import Foundation
import HTTPServer

/// Registers JSON API routes: each one with its authentication, its required role and its
/// OpenAPI description, so that no route can be added without all three. The descriptions are
/// autoclosures, evaluated only when the document is first asked for (`document`).
public final class APIRouteBuilder {
    public typealias Handler = @Sendable (HTTPRequest, RequestContext, Principal) throws -> HTTPResponse

    public private(set) var router: Router
    let keys: APIKeyStore
    let version: String
    private var parts: [LazyOpenAPIDocument.Part] = []

    init(router: Router, keys: APIKeyStore, version: String) {
        self.router = router
        self.keys = keys
        self.version = version
    }

    /// The document of the routes added so far, built when first read.
    public var document: LazyOpenAPIDocument { LazyOpenAPIDocument(version: version, parts: parts) }

    public func addSchema(_ name: String, _ schema: @autoclosure @escaping @Sendable () -> JSONValue) {
        parts.append { $0.addSchema(name, schema()) }
    }

    public func addSchemas(_ schemas: @autoclosure @escaping @Sendable () -> [String: JSONValue]) {
        parts.append { document in
            for (name, schema) in schemas() { document.addSchema(name, schema) }
        }
    }

    /// An authenticated route: 401 without a valid key, 403 when its role is below `role`.
    public func add(_ method: HTTPMethod, _ pattern: String, role: Role, options: RouteOptions = RouteOptions(),
                    _ operation: @autoclosure @escaping @Sendable () -> OpenAPIOperation, handler: @escaping Handler) {
        parts.append { $0.add(method, pattern, operation(), requiredRole: role) }
        let keys = self.keys
        router.add(method: method, pattern, options: options) { request, context in
            let principal = try Self.authenticate(request, keys: keys)
            guard principal.role.allows(role) else {
                throw HTTPError(.forbidden, detail: "this action needs the \(role.rawValue) role; the key \"\(principal.name)\" has \(principal.role.rawValue)")
            }
            return try handler(request, context, principal)
        }
    }

    /// A route authenticated by its own secret or open to all (health checks); still documented.
    public func addPublic(_ method: HTTPMethod, _ pattern: String, options: RouteOptions = RouteOptions(),
                          _ operation: @autoclosure @escaping @Sendable () -> OpenAPIOperation, handler: @escaping RouteHandler) {
        parts.append { $0.add(method, pattern, operation(), requiredRole: nil) }
        router.add(method: method, pattern, options: options, handler)
    }

    static func authenticate(_ request: HTTPRequest, keys: APIKeyStore) throws -> Principal {
        let challenge: HTTPHeaders = ["WWW-Authenticate": "Bearer realm=\"watchkeeper\""]
        guard let header = request.headers["Authorization"] else {
            throw HTTPError(.unauthorized, detail: "send an API key as Authorization: Bearer <key>", headers: challenge)
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw HTTPError(.unauthorized, detail: "the Authorization header must use the Bearer scheme", headers: challenge)
        }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        guard let key = try keys.authenticate(secret: secret) else {
            var headers = challenge
            headers["WWW-Authenticate"] = "Bearer realm=\"watchkeeper\", error=\"invalid_token\""
            throw HTTPError(.unauthorized, detail: "the API key is unknown or revoked", headers: headers)
        }
        return Principal(kind: .apiKey, id: key.id, name: key.name, role: key.role)
    }
}
