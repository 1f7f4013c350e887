import HTTPServer

/// Finds members a request body has but its JSON schema does not declare, so a typo such as
/// `timezone` for `timeZone` is refused instead of silently dropped. The OpenAPI schemas are the
/// one list of accepted fields: objects with `additionalProperties: false` are closed, `$ref`s
/// resolve in `schemas`, arrays check each item against `items`.
struct SchemaFieldCheck: Sendable {
    /// Component schemas by name.
    var schemas: [String: JSONValue]

    func unknownFields(in value: JSONValue, schema: JSONValue, path: String = "") -> [ProblemDetails.FieldError] {
        let schema = resolve(schema)
        switch value {
        case .object(let members):
            guard case .object(let properties)? = schema["properties"] else { return [] }
            var errors: [ProblemDetails.FieldError] = []
            for name in members.keys.sorted() {
                let member = join(path, name)
                if let property = properties[name] {
                    errors += unknownFields(in: members[name]!, schema: property, path: member)
                } else if schema["additionalProperties"] == .bool(false) {
                    let known = properties.keys.sorted().joined(separator: ", ")
                    errors.append(.init(field: member, detail: "unknown field; the known ones here are \(known)"))
                }
            }
            return errors
        case .array(let elements):
            guard let items = schema["items"] else { return [] }
            return elements.enumerated().flatMap { index, element in
                unknownFields(in: element, schema: items, path: join(path, String(index)))
            }
        default:
            return []
        }
    }

    private func resolve(_ schema: JSONValue) -> JSONValue {
        var schema = schema
        // A bounded walk: a reference chain longer than the number of schemas is a cycle.
        for _ in 0...schemas.count {
            guard case .string(let reference)? = schema["$ref"],
                  let name = reference.split(separator: "/").last,
                  let target = schemas[String(name)] else { return schema }
            schema = target
        }
        return schema
    }

    private func join(_ path: String, _ member: String) -> String { path.isEmpty ? member : "\(path).\(member)" }
}
