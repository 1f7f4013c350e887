import Foundation
import HTTPServer

/// Reads the JSON body of a create or replace strictly: unknown members are refused (naming
/// each), server-set members are checked or dropped, omitted optional members get their
/// defaults, the id is set, and the typed value is decoded with field-path errors.
struct ResourceBody<Kind: ResourceKind> {
    var value: Kind.Value
    /// Request-only members sent with a replace (`keepCurrentOnCall`).
    var options: [String: JSONValue]

    /// - Parameter creating: a create refuses `id` (the server assigns it) and request-only
    ///   members (they steer replacements); a replace requires `id` and the parent member, when
    ///   sent, to equal the URL's.
    init(_ request: HTTPRequest, kind: Kind, id: String, parentId: String?, creating: Bool, fields: SchemaFieldCheck) throws {
        let schema = kind.schema
        guard case .object(var object) = try request.decodeJSONValue() else {
            throw HTTPError(.badRequest, detail: "the body must be a JSON object (a \(kind.noun))")
        }
        var errors = fields.unknownFields(in: .object(object), schema: schema.request)

        if let sent = object["id"], creating {
            errors.append(.init(field: "id", detail: "is assigned by the server; leave it out (sent \(Self.describe(sent)))"))
        } else if let sent = object["id"], sent != .string(id) {
            errors.append(.init(field: "id", detail: "must match the id in the URL, \(id) (sent \(Self.describe(sent)))"))
        }
        if let member = kind.table.parent?.member, let sent = object[member], sent != .string(parentId ?? "") {
            errors.append(.init(field: member, detail: "must match the id in the URL, \(parentId ?? "") (sent \(Self.describe(sent)))"))
        }
        for key in schema.readOnly.keys { object[key] = nil }

        var options: [String: JSONValue] = [:]
        for (key, optionSchema) in schema.requestOnly {
            guard let sent = object.removeValue(forKey: key) else { continue }
            if creating {
                errors.append(.init(field: key, detail: "applies only when replacing (PUT); leave it out"))
            } else if optionSchema["type"] == "boolean", case .bool = sent {
                options[key] = sent
            } else {
                errors.append(.init(field: key, detail: "expected true or false"))
            }
        }
        guard errors.isEmpty else {
            let summary = errors.map { "\($0.field): \($0.detail)" }.joined(separator: "; ")
            throw HTTPError(.badRequest, detail: summary, errors: errors)
        }

        for (key, value) in kind.defaults where object[key] == nil { object[key] = value }
        object["id"] = .string(id)
        // Decoding the completed object through the shared JSON decoder keeps its field-path 400s.
        let completed = HTTPRequest(head: request.head, body: Array(try JSON.encoder.encode(JSONValue.object(object))))
        value = try completed.decodeJSON(Kind.Value.self)
        self.options = options
    }

    private static func describe(_ value: JSONValue) -> String {
        (try? String(decoding: JSON.encoder.encode(value), as: UTF8.self)) ?? "a value"
    }
}
