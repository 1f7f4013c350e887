import HTTPServer

/// Registers the five CRUD routes of one resource kind with their OpenAPI descriptions:
/// list (viewer), create (admin), get (viewer), replace (admin) and delete (admin).
///
/// - `GET` answers `ETag` (the row's version) and 304 to a matching `If-None-Match`.
/// - `PUT` and `DELETE` honour `If-Match` (412 when stale); without it they are unconditional.
/// - `POST` answers 201 with `Location` and `ETag`.
struct ResourceRoutes<Kind: ResourceKind> {
    let store: ResourceStore<Kind>
    let paths: ResourcePaths
    let fields: SchemaFieldCheck

    static var bodyLimit: Int { 256 * 1024 }

    func register(on api: APIRouteBuilder) {
        let (store, paths, fields, kind) = (self.store, self.paths, self.fields, store.kind)
        let schema = kind.schema
        api.addSchema(schema.name, schema.response)
        api.addSchema(schema.writeName, schema.request)
        api.addSchema(schema.pageName, schema.page)

        let noun = kind.operationNoun
        let parent = paths.parentParameter.map { OpenAPIOperation.Parameter($0, in: .path, description: "\(kind.table.parent?.noun.capitalized ?? "Parent") id") }
        let item = OpenAPIOperation.Parameter(paths.itemParameter, in: .path, description: "\(kind.noun.capitalized) id")
        let ifMatch = OpenAPIOperation.Parameter("If-Match", in: .header,
                                                 description: "The ETag of the version you read; 412 when it has changed since. Optional: without it the request is unconditional.")
        let scope = parent.map { [$0] } ?? []
        let writeOptions = RouteOptions(bodyLimit: Self.bodyLimit)

        api.add(.get, paths.collection, role: .viewer, OpenAPIOperation(
            "list\(kind.pluralOperationNoun)", summary: "List \(kind.pluralNoun) by id, a page at a time", tag: kind.tag,
            parameters: scope + Self.pageParameters + kind.listParameters,
            responses: [200: .init("One page; follow nextCursor for the next", schema: .ref(schema.pageName)),
                        400: Self.problem("A malformed limit, cursor or filter; errors[].field names it")]
                .merging(parent == nil ? [:] : [404: Self.problem("No such \(kind.table.parent?.noun ?? "parent")")]) { $1 })) { request, context, _ in
            let parentId = try paths.parentParameter.map { try context.parameter($0) }
            let page = try PageRequest(request, idPrefix: kind.idPrefix)
            return try HTTPResponse.json(try store.list(parentId: parentId, page: page, filter: try kind.listFilter(request)))
        }

        api.add(.post, paths.collection, role: .admin, options: writeOptions, OpenAPIOperation(
            "create\(noun)", summary: "Create a \(kind.noun); the server assigns its id", tag: kind.tag, parameters: scope,
            requestBody: .ref(schema.writeName),
            responses: Self.writeResponses(success: [201: .init("Created; Location is its URL and ETag its version", schema: .ref(schema.name))],
                                             notFound: kind.table.parent.map { "No such \($0.noun)" }))) { request, context, _ in
            let parentId = try paths.parentParameter.map { try context.parameter($0) }
            let id = store.newID()
            let body = try ResourceBody(request, kind: kind, id: id, parentId: parentId, creating: true, fields: fields)
            let created = try store.create(body.value, id: id, parentId: parentId)
            return try HTTPResponse.json(created, status: .created,
                                         headers: ["Location": paths.location(id: id, parentId: parentId), "ETag": created.etag.description])
        }

        api.add(.get, paths.item, role: .viewer, OpenAPIOperation(
            "get\(noun)", summary: "Read a \(kind.noun); ETag is its version", tag: kind.tag,
            parameters: scope + [item, .init("If-None-Match", in: .header, description: "An ETag you hold; 304 when it is still current")],
            responses: [200: .init("The \(kind.noun)", schema: .ref(schema.name)), 304: .init("Not modified since the ETag you sent"),
                        404: Self.problem("No such \(kind.noun)")])) { request, context, _ in
            let parentId = try paths.parentParameter.map { try context.parameter($0) }
            let stored = try store.get(id: try context.parameter(paths.itemParameter), parentId: parentId)
            if stored.etag.isMatched(byIfNoneMatch: request.headers.values("If-None-Match")) {
                return HTTPResponse(status: .notModified, headers: ["ETag": stored.etag.description])
            }
            return try HTTPResponse.json(stored, headers: ["ETag": stored.etag.description])
        }

        api.add(.put, paths.item, role: .admin, options: writeOptions, OpenAPIOperation(
            "replace\(noun)", summary: "Replace a \(kind.noun) with the full body sent", tag: kind.tag, parameters: scope + [item, ifMatch],
            requestBody: .ref(schema.writeName),
            responses: Self.writeResponses(success: [200: .init("Replaced; ETag is the new version", schema: .ref(schema.name))],
                                             notFound: "No such \(kind.noun)")
                .merging([412: Self.problem("If-Match names a version that is no longer current; nothing was changed")]) { $1 })) { request, context, _ in
            let parentId = try paths.parentParameter.map { try context.parameter($0) }
            let id = try context.parameter(paths.itemParameter)
            let ifMatch = try IfMatch(request)
            let body = try ResourceBody(request, kind: kind, id: id, parentId: parentId, creating: false, fields: fields)
            let replaced = try store.replace(id: id, parentId: parentId, with: body.value, options: body.options, ifMatch: ifMatch)
            return try HTTPResponse.json(replaced, headers: ["ETag": replaced.etag.description])
        }

        api.add(.delete, paths.item, role: .admin, OpenAPIOperation(
            "delete\(noun)", summary: "Delete a \(kind.noun)", tag: kind.tag, parameters: scope + [item, ifMatch],
            responses: [204: .init("Deleted"), 400: Self.problem("A malformed If-Match"), 404: Self.problem("No such \(kind.noun)"),
                        409: Self.problem("Still used by other resources, named in detail"),
                        412: Self.problem("If-Match names a version that is no longer current; nothing was deleted")])) { request, context, _ in
            let parentId = try paths.parentParameter.map { try context.parameter($0) }
            try store.delete(id: try context.parameter(paths.itemParameter), parentId: parentId, ifMatch: try IfMatch(request))
            return HTTPResponse(status: .noContent)
        }
    }

    private static var pageParameters: [OpenAPIOperation.Parameter] {
        [.init("limit", in: .query, description: "Items per page, 1–\(PageRequest.maximumLimit); default \(PageRequest.defaultLimit)",
               schema: ["type": "integer", "minimum": 1, "maximum": .number(Double(PageRequest.maximumLimit))]),
         .init("cursor", in: .query, description: "The nextCursor of the previous page")]
    }

    private static func problem(_ description: String) -> OpenAPIOperation.Response {
        .init(description, schema: .ref("Problem"), contentType: "application/problem+json")
    }

    private static func writeResponses(success: [Int: OpenAPIOperation.Response], notFound: String?) -> [Int: OpenAPIOperation.Response] {
        var responses = success
        responses[400] = problem("Invalid body: unknown or malformed members, failed validation or references to missing users or rotations; errors[].field names each")
        responses[409] = problem("Conflicts with stored data (for a user: another user has the e-mail address)")
        responses[415] = problem("The body is not sent as application/json")
        if let notFound { responses[404] = problem(notFound) }
        return responses
    }
}
