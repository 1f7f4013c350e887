import Foundation
import HTTPServer
import Synchronization

/// The Microsoft Entra ID token endpoint as the client-credentials flow sees it:
/// `POST /{tenant}/oauth2/v2.0/token`, form-encoded `client_id`, `client_secret`, `grant_type=
/// client_credentials`, `scope=https://management.azure.com/.default`. Known apps get a bearer
/// token that the fake ARM accepts for that tenant; a wrong secret gets AADSTS7000215 like Entra.
public final class FakeEntraID: Sendable {
    public struct App: Sendable {
        public var tenantId: String
        public var clientId: String
        public var clientSecret: String
        public init(tenantId: String, clientId: String, clientSecret: String) {
            self.tenantId = tenantId
            self.clientId = clientId
            self.clientSecret = clientSecret
        }
    }

    private struct State {
        var apps: [App] = []
        /// token → tenant id.
        var tokens: [String: String] = [:]
        var issued = 0
        var expiresIn = 3599
        /// `{ARM base URL}/.default` for every cloud this fake stands in for.
        var scopes: Set<String> = ["https://management.azure.com/.default"]
    }

    private let state = Mutex(State())

    public init() {}

    public func register(_ app: App) { state.withLock { $0.apps.append(app) } }

    /// How long new tokens say they last (seconds).
    public func setExpiresIn(_ seconds: Int) { state.withLock { $0.expiresIn = seconds } }

    /// Forgets every token issued so far, as if they had expired: ARM answers 401 to them.
    public func revokeAllTokens() { state.withLock { $0.tokens.removeAll() } }

    /// Also accepts this scope (a sovereign cloud's or a loopback ARM's `{base}/.default`).
    public func acceptScope(_ scope: String) { state.withLock { _ = $0.scopes.insert(scope) } }

    public var tokensIssued: Int { state.withLock { $0.issued } }

    /// The tenant a bearer token was issued for; nil for an unknown or revoked one.
    public func tenant(ofToken token: String) -> String? { state.withLock { $0.tokens[token] } }

    /// Serves `POST {prefix}/{tenant}/oauth2/v2.0/token`; a prefix stands in for another cloud's authority.
    public func register(on router: inout Router, prefix: String = "") {
        router.post(prefix + "/:tenant/oauth2/v2.0/token") { [self] request, context in
            let tenant = try context.parameter("tenant")
            guard request.headers["Content-Type"]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
                return Self.error(400, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'grant_type'.")
            }
            let form = Self.form(request.body)
            guard form["grant_type"] == "client_credentials" else {
                return Self.error(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.")
            }
            guard let scope = form["scope"], state.withLock({ $0.scopes.contains(scope) }) else {
                return Self.error(400, "invalid_scope", "AADSTS70011: The provided value for the input parameter 'scope' is not valid.")
            }
            return state.withLock { state in
                guard let app = state.apps.first(where: { $0.tenantId == tenant && $0.clientId == form["client_id"] }) else {
                    return Self.error(400, "unauthorized_client", "AADSTS700016: Application with identifier '\(form["client_id"] ?? "")' was not found in the directory '\(tenant)'.")
                }
                guard app.clientSecret == form["client_secret"] else {
                    return Self.error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
                }
                state.issued += 1
                let token = "fake-token-\(tenant)-\(state.issued)-\(UUID().uuidString)"
                state.tokens[token] = tenant
                let body: [String: Any] = ["token_type": "Bearer", "expires_in": state.expiresIn, "ext_expires_in": state.expiresIn, "access_token": token]
                return HTTPResponse(status: .ok, contentType: "application/json", body: Array(try! JSONSerialization.data(withJSONObject: body)))
            }
        }
    }

    static func form(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(String(parts[0]), plusAsSpace: true) ?? ""
            fields[name] = PercentEncoding.decode(parts.count > 1 ? String(parts[1]) : "", plusAsSpace: true)
        }
        return fields
    }

    static func error(_ status: Int, _ code: String, _ description: String) -> HTTPResponse {
        let body: [String: Any] = ["error": code, "error_description": description, "error_codes": [Int(description.dropFirst(5).prefix { $0.isNumber }) ?? 0],
                                   "timestamp": "2025-03-14 02:58:20Z", "trace_id": UUID().uuidString, "correlation_id": UUID().uuidString]
        return HTTPResponse(status: HTTPStatus(code: status), contentType: "application/json", body: Array(try! JSONSerialization.data(withJSONObject: body)))
    }
}
