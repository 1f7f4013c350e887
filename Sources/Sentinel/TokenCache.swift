import Foundation
import OutboundHTTP
import Synchronization

/// Client-credentials tokens per (authority, tenant, client id, scope), shared by every connection
/// so one tenant's token serves all its workspaces. A token is reused until five minutes before it
/// expires; `invalidate` drops it after ARM refused it (401). Safe from many threads; two threads
/// missing at once may both fetch, which Entra allows.
public final class TokenCache: Sendable {
    private struct Key: Hashable {
        var authority: String, tenant: String, client: String, scope: String
    }
    private struct Entry {
        var token: String
        var expires: Date
    }

    /// Refresh this long before Entra's expiry, so a token never dies mid-call.
    public static let refreshMargin: TimeInterval = 5 * 60
    private let http: HTTPClient
    private let timeout: TimeInterval
    private let entries = Mutex<[Key: Entry]>([:])
    private let fetched = Atomic<Int>(0)

    public init(http: HTTPClient, timeout: TimeInterval = 15) {
        self.http = http
        self.timeout = timeout
    }

    /// How many tokens this cache has fetched from Entra (for tests and metrics).
    public var fetches: Int { fetched.load(ordering: .relaxed) }

    public func token(for credentials: ClientCredentials, now: Date) throws(AzureError) -> String {
        let key = Self.key(credentials)
        if let entry = entries.withLock({ $0[key] }), now < entry.expires.addingTimeInterval(-Self.refreshMargin) {
            return entry.token
        }
        let entry = try fetch(credentials, now: now)
        entries.withLock { $0[key] = entry }
        return entry.token
    }

    /// Forgets `token` (if it is still the cached one) so the next call fetches a new one.
    public func invalidate(_ credentials: ClientCredentials, token: String) {
        let key = Self.key(credentials)
        entries.withLock { entries in
            if entries[key]?.token == token { entries[key] = nil }
        }
    }

    private static func key(_ credentials: ClientCredentials) -> Key {
        Key(authority: ClientCredentials.trimmed(credentials.authorityURL).lowercased(), tenant: credentials.tenantId.lowercased(),
            client: credentials.clientId.lowercased(), scope: credentials.scope)
    }

    private func fetch(_ credentials: ClientCredentials, now: Date) throws(AzureError) -> Entry {
        let form = [("client_id", credentials.clientId), ("client_secret", credentials.clientSecret),
                    ("grant_type", "client_credentials"), ("scope", credentials.scope)]
            .map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let response: HTTPClientResponse
        do {
            response = try http.send(HTTPClientRequest(method: "POST", url: credentials.tokenURL,
                                                       headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                                       body: Array(form.utf8), timeout: timeout))
        } catch {
            throw Self.transport(error)
        }
        fetched.add(1, ordering: .relaxed)
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard response.status == 200 else {
            // Entra's error body names the problem (AADSTS7000215 wrong secret, …) and never echoes the secret.
            let code = json?["error"] as? String ?? "HTTP\(response.status)"
            let message = (json?["error_description"] as? String).map { String($0.prefix { $0 != "\r" && $0 != "\n" }) } ?? "token request failed"
            if response.status == 429 { throw .throttled(retryAfter: response.retryAfter(now: now), code: code, message: message) }
            if response.status >= 500 { throw .temporary("token endpoint: HTTP \(response.status) \(code)") }
            throw .permanent(status: response.status, code: code, message: message)
        }
        guard let token = json?["access_token"] as? String, !token.isEmpty else {
            throw .temporary("token endpoint answered 200 without access_token")
        }
        let lifetime = (json?["expires_in"] as? NSNumber)?.doubleValue ?? Double(json?["expires_in"] as? String ?? "") ?? 3599
        return Entry(token: token, expires: now.addingTimeInterval(lifetime))
    }

    static func transport(_ error: HTTPClientError) -> AzureError {
        switch error {
        case .invalidRequest(let reason): .permanent(status: 0, code: "InvalidRequest", message: reason)
        default: .temporary(error.description)
        }
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
