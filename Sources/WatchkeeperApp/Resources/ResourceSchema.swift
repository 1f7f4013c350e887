/// The OpenAPI description of one resource, from which both its response schema and its
/// request schema are built; the request schema is closed (`additionalProperties: false`) and
/// is what `SchemaFieldCheck` enforces, so documentation and validation cannot drift apart.
struct ResourceSchema: Sendable {
    /// Component name of the representation ("User"); the request body is `<name>Write`, a
    /// page `<name>Page`.
    var name: String
    var description: String
    /// Members a client writes.
    var properties: [String: JSONValue]
    /// Writable members a client must send.
    var required: [String]
    /// Members the server sets; accepted in a request (so a GET body can be sent back) and
    /// checked or ignored as `ResourceRoutes` documents.
    var readOnly: [String: JSONValue]
    /// Members that steer a write and are not stored (`keepCurrentOnCall`).
    var requestOnly: [String: JSONValue] = [:]

    var writeName: String { name + "Write" }
    var pageName: String { name + "Page" }

    var response: JSONValue {
        var all = properties
        for (key, value) in readOnly { all[key] = Self.markReadOnly(value) }
        return ["type": "object", "description": .string(description),
                "required": .array((required + readOnly.keys.sorted()).map { .string($0) }),
                "properties": .object(all)]
    }

    var request: JSONValue {
        var all = properties
        for (key, value) in readOnly { all[key] = Self.markReadOnly(value) }
        for (key, value) in requestOnly { all[key] = value }
        return ["type": "object", "description": .string(description + " Unknown members are refused (400)."),
                "required": .array(required.map { .string($0) }),
                "properties": .object(all), "additionalProperties": false]
    }

    var page: JSONValue {
        ["type": "object", "required": ["items", "nextCursor"],
         "properties": [
             "items": ["type": "array", "items": .ref(name)],
             "nextCursor": ["type": ["string", "null"], "description": "Pass as ?cursor= for the next page; null on the last page"],
         ]]
    }

    private static func markReadOnly(_ schema: JSONValue) -> JSONValue {
        guard case .object(var object) = schema else { return schema }
        object["readOnly"] = true
        return .object(object)
    }
}
