import Foundation
import HTTPServer
import Storage

/// A create (every field but the URLs required) or a PATCH (any subset) of a connection; checks
/// each field and names the first bad one (400).
struct ConnectionInput: Decodable, Sendable {
    var customer: String?
    var tenantId: String?
    var clientId: String?
    var clientSecret: String?
    var subscriptionId: String?
    var resourceGroup: String?
    var workspaceName: String?
    var workspaceId: String?
    var authorityURL: String?
    var armURL: String?
    /// The integration key new incidents seen by the poller go through; "" removes it (PATCH).
    var integrationKeyId: String?

    static let fields = ["customer", "tenantId", "clientId", "clientSecret", "subscriptionId", "resourceGroup", "workspaceName",
                         "workspaceId", "authorityURL", "armURL", "integrationKeyId"]
    static let required = ["customer", "tenantId", "clientId", "clientSecret", "subscriptionId", "resourceGroup", "workspaceName", "workspaceId"]

    func requireAll() throws {
        let present: [String: Bool] = ["customer": customer != nil, "tenantId": tenantId != nil, "clientId": clientId != nil,
                                       "clientSecret": clientSecret != nil, "subscriptionId": subscriptionId != nil,
                                       "resourceGroup": resourceGroup != nil, "workspaceName": workspaceName != nil, "workspaceId": workspaceId != nil]
        for field in Self.required where present[field] != true { throw HTTPError.invalid(field, "is required") }
    }

    func validate() throws {
        if let customer, customer.trimmingCharacters(in: .whitespaces).isEmpty || customer.count > 200 {
            throw HTTPError.invalid("customer", "must be 1 to 200 characters")
        }
        if let tenantId, !(Self.isGUID(tenantId) || Self.isDomain(tenantId)) {
            throw HTTPError.invalid("tenantId", "must be the Entra tenant id (a GUID) or its domain (contoso.onmicrosoft.com)")
        }
        if let clientId, !Self.isGUID(clientId) { throw HTTPError.invalid("clientId", "must be the app registration's application (client) id, a GUID") }
        if let clientSecret, clientSecret.isEmpty || clientSecret.utf8.count > 1024 || clientSecret.contains(where: \.isNewline) {
            throw HTTPError.invalid("clientSecret", "must be 1 to 1024 characters on one line")
        }
        if let subscriptionId, !Self.isGUID(subscriptionId) { throw HTTPError.invalid("subscriptionId", "must be a GUID") }
        if let resourceGroup, !Self.isResourceGroup(resourceGroup) {
            throw HTTPError.invalid("resourceGroup", "must be 1 to 90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'")
        }
        if let workspaceName, !(4...63).contains(workspaceName.count) || !workspaceName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            throw HTTPError.invalid("workspaceName", "must be 4 to 63 letters, digits or '-'")
        }
        if let workspaceId, !Self.isGUID(workspaceId) { throw HTTPError.invalid("workspaceId", "must be the workspace (customer) id, a GUID") }
        if let authorityURL { try Self.checkURL(authorityURL, field: "authorityURL") }
        if let armURL { try Self.checkURL(armURL, field: "armURL") }
        if let integrationKeyId, integrationKeyId.count > 100 { throw HTTPError.invalid("integrationKeyId", "must be an integration key id") }
    }

    /// The default integration key must exist and not be revoked; checked inside the write.
    static func checkIntegrationKey(_ id: String?, db: Storage.Connection) throws {
        guard let id, !id.isEmpty else { return }
        guard try db.queryOne("SELECT 1 AS found FROM integration_keys WHERE id = ? AND revoked_at IS NULL", [.text(id)]) != nil else {
            throw HTTPError.invalid("integrationKeyId", "no integration key \(id) (unknown or revoked)")
        }
    }

    /// https, or http only to this machine (tests, a local proxy): the secret travels to the authority.
    static func checkURL(_ text: String, field: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty,
              url.query == nil, url.fragment == nil, url.user == nil else {
            throw HTTPError.invalid(field, "must be an absolute https URL without query or credentials")
        }
        guard scheme == "https" || (scheme == "http" && ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)) else {
            throw HTTPError.invalid(field, "must use https (http only to 127.0.0.1 or localhost)")
        }
    }

    static func trimmedURL(_ text: String) -> String {
        var text = text
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    static func isGUID(_ text: String) -> Bool { UUID(uuidString: text) != nil }

    static func isDomain(_ text: String) -> Bool {
        text.count <= 253 && text.contains(".") && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    static func isResourceGroup(_ text: String) -> Bool {
        (1...90).contains(text.count) && !text.hasSuffix(".")
            && text.allSatisfy { ($0.isLetter || $0.isNumber || "-_.()".contains($0)) }
    }
}
