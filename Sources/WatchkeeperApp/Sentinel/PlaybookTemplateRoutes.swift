import Foundation
import HTTPServer
import Storage

/// `GET /integrations/sentinel/playbook.json?key=…`: the playbook's ARM template pre-filled with
/// this server's public URL and the integration key's secret. The answer embeds the secret, so
/// the route needs an API key (viewer or above) as well as a live integration key.
enum PlaybookTemplateRoutes {
    static let path = "/integrations/sentinel/playbook.json"

    static func register(on api: APIRouteBuilder, database: Database, publicURL: String) {
        let problem = { @Sendable (text: String) in OpenAPIOperation.Response(text, schema: .ref("Problem"), contentType: "application/problem+json") }
        api.add(.get, path, role: .viewer, OpenAPIOperation(
            "getSentinelPlaybookTemplate",
            summary: "The ARM template of the Logic App playbook that forwards Microsoft Sentinel incidents to this integration key (embeds the key's secret)",
            tag: "services",
            parameters: [.init("key", in: .query, required: true, description: "The integration key's secret (wki_…), as shown when the key was created")],
            responses: [200: .init("An ARM deployment template: Microsoft.Web/connections (azuresentinel) and Microsoft.Logic/workflows",
                                   schema: ["type": "object"]),
                        400: problem("No key parameter"), 404: problem("No such integration key (unknown or revoked)")])) { request, _, _ in
            guard let secret = request.query("key"), !secret.isEmpty else { throw HTTPError.invalid("key", "the integration key's secret is required") }
            guard let resolved = try database.read({ db in try IntegrationKeyStore.resolve(secret: secret, db: db) }) else {
                throw HTTPError(.notFound, detail: "no such integration key (unknown or revoked)")
            }
            let url = "\(publicURL)/api/v1/integrations/\(secret)/sentinel"
            return try HTTPResponse.json(PlaybookTemplate.template(ingestURL: url, keyName: resolved.key.name), headers: [
                "Content-Disposition": "attachment; filename=\"watchkeeper-sentinel-playbook.json\"",
                // It holds a secret: no shared cache may keep it.
                "Cache-Control": "no-store",
            ])
        }
    }
}
