import Foundation
import OutboundHTTP

/// The Microsoft Sentinel incidents API (ARM, api-version 2025-12-01) for one connection's
/// workspace. Blocking: call it from an outbox sender or poller thread. Every call carries a
/// bearer token from the shared `TokenCache`; a 401 refreshes the token once and retries once.
/// Failures come back as `AzureError` (conflict, throttled, temporary, permanent); retrying
/// throttled and temporary ones is the caller's business (the outbox's backoff), except that
/// `update` re-reads and re-applies on a conflict.
public final class SentinelClient: Sendable {
    public static let apiVersion = "2025-12-01"
    /// ARM's limit on one comment (characters, as .NET counts them: UTF-16 units).
    public static let maximumCommentLength = 30_000

    public let workspace: ARMWorkspace
    public let credentials: ClientCredentials
    private let tokens: TokenCache
    private let http: HTTPClient
    private let timeout: TimeInterval
    private let now: @Sendable () -> Date

    public init(workspace: ARMWorkspace, credentials: ClientCredentials, tokens: TokenCache, http: HTTPClient,
                timeout: TimeInterval = 30, now: @escaping @Sendable () -> Date = { Date() }) {
        self.workspace = workspace
        self.credentials = credentials
        self.tokens = tokens
        self.http = http
        self.timeout = timeout
        self.now = now
    }

    /// GET one incident; 404 (deleted or wrong id) is `.permanent(status: 404, …)`.
    public func getIncident(_ name: String) throws(AzureError) -> ARMIncident {
        let response = try send("GET", incidentURL(name))
        return try ARMIncident(raw: response.body)
    }

    /// PUT a whole incident body (see `IncidentPutBody`); returns the incident as ARM stored it,
    /// whose `etag` is the one to remember as our own write.
    public func putIncident(_ name: String, body: [String: Any]) throws(AzureError) -> ARMIncident {
        guard let bytes = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else {
            throw .permanent(status: 0, code: "InvalidBody", message: "the incident body is not JSON")
        }
        let response = try send("PUT", incidentURL(name), body: Array(bytes))
        return try ARMIncident(raw: response.body)
    }

    /// PUT a comment under our own id (`CommentID.make`): 201 when new, 200 when a retry updated
    /// the same comment. Longer messages are cut to ARM's 30,000 characters.
    @discardableResult
    public func putComment(incidentName: String, commentId: String, message: String) throws(AzureError) -> Int {
        let body: [String: Any] = ["properties": ["message": Self.fitted(message)]]
        let bytes = (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
        let response = try send("PUT", "\(incidentPath(incidentName))/comments/\(ARMWorkspace.segment(commentId))?api-version=\(Self.apiVersion)", body: Array(bytes))
        return response.status
    }

    /// Every incident modified at or after `modifiedSince` (all when nil), oldest change first,
    /// following every `nextLink` verbatim to the end. `top` is the page size asked for (≤ 1000).
    public func listIncidents(modifiedSince: Date?, top: Int = 200) throws(AzureError) -> [ARMIncident] {
        var query = ["api-version=\(Self.apiVersion)"]
        if let modifiedSince {
            query.append("%24filter=" + Self.queryEncode("properties/lastModifiedTimeUtc ge \(Self.odataTime(modifiedSince))"))
        }
        query.append("%24orderby=" + Self.queryEncode("properties/lastModifiedTimeUtc asc"))
        query.append("%24top=\(min(max(top, 1), 1000))")
        var url: String? = "\(workspace.incidentsURL)?\(query.joined(separator: "&"))"
        var incidents: [ARMIncident] = []
        var pages = 0
        while let next = url {
            pages += 1
            guard pages <= 10_000 else { throw .temporary("more than 10,000 pages of incidents; nextLink loops") }
            let response = try send("GET", next)
            guard let page = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any],
                  let values = page["value"] as? [Any] else {
                throw .temporary("ARM answered a list without value[]")
            }
            for value in values {
                guard let data = try? JSONSerialization.data(withJSONObject: value) else { continue }
                incidents.append(try ARMIncident(raw: Array(data)))
            }
            url = (page["nextLink"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            // Our bearer token goes wherever nextLink points: only ever back to the same ARM.
            if let next = url, !Self.sameOrigin(next, workspace.armURL) {
                throw .permanent(status: 0, code: "ForeignNextLink", message: "nextLink leaves \(workspace.armURL); not followed")
            }
        }
        return incidents
    }

    /// Read-modify-write: GET, apply `write` to what was read, PUT with its etag; on a conflict
    /// re-read and re-apply, up to `attempts` PUTs. Throttling and temporary failures are thrown
    /// at once for the caller to schedule.
    public func update(_ name: String, _ write: IncidentWrite, attempts: Int = 4) throws(AzureError) -> ARMIncident {
        var lastConflict: AzureError?
        for _ in 0..<max(1, attempts) {
            let current = try getIncident(name)
            do {
                return try putIncident(name, body: IncidentPutBody.make(current: current.object, applying: write))
            } catch .conflict(let code, let message) {
                lastConflict = .conflict(code: code, message: message)
            }
        }
        throw lastConflict ?? .temporary("no attempt made")
    }

    // MARK: Plumbing

    private func incidentPath(_ name: String) -> String { "\(workspace.incidentsURL)/\(ARMWorkspace.segment(name))" }
    private func incidentURL(_ name: String) -> String { "\(incidentPath(name))?api-version=\(Self.apiVersion)" }

    private func send(_ method: String, _ url: String, body: [UInt8] = []) throws(AzureError) -> HTTPClientResponse {
        var refreshed = false
        while true {
            let token = try tokens.token(for: credentials, now: now())
            var headers: [(name: String, value: String)] = [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
            if method != "GET" { headers.append(("Content-Type", "application/json")) }
            let response: HTTPClientResponse
            do {
                response = try http.send(HTTPClientRequest(method: method, url: url, headers: headers, body: body, timeout: timeout))
            } catch {
                throw TokenCache.transport(error)
            }
            if response.status == 401 && !refreshed {
                refreshed = true
                tokens.invalidate(credentials, token: token)
                continue
            }
            guard (200..<300).contains(response.status) else {
                throw AzureError.from(status: response.status, body: response.body, retryAfter: response.retryAfter(now: now()))
            }
            return response
        }
    }

    /// Same scheme, host and port (ARM's nextLink is absolute and keeps the host we called).
    static func sameOrigin(_ link: String, _ base: String) -> Bool {
        guard let a = URLComponents(string: link), let b = URLComponents(string: base) else { return false }
        return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased() && a.port == b.port
    }

    static func fitted(_ message: String) -> String {
        guard message.utf16.count > maximumCommentLength else { return message }
        let marker = "\n… (cut to fit Sentinel's 30,000 characters)"
        var cut = ""
        var length = 0
        for character in message {
            let size = character.utf16.count
            if length + size + marker.utf16.count > maximumCommentLength { break }
            cut.append(character)
            length += size
        }
        return cut + marker
    }

    /// An OData datetime literal (unquoted), rounded down to ARM's 100 ns so `ge` never skips.
    static func odataTime(_ date: Date) -> String {
        let ticks = Int64((date.timeIntervalSince1970 * 10_000_000).rounded(.down))
        let seconds = ticks / 10_000_000
        let text = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return "\(text.dropLast()).\(String(format: "%07lld", ticks % 10_000_000))Z"
    }

    static func queryEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
