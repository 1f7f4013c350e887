/// The description of one API operation, registered together with its route so that the
/// OpenAPI document and the router are built from one list.
public struct OpenAPIOperation: Sendable {
    public struct Parameter: Sendable {
        public enum Location: String, Sendable { case path, query, header }
        public var name: String
        public var location: Location
        public var required: Bool
        public var description: String
        public var schema: JSONValue

        public init(_ name: String, in location: Location, required: Bool = false, description: String, schema: JSONValue = ["type": "string"]) {
            self.name = name
            self.location = location
            self.required = required || location == .path
            self.description = description
            self.schema = schema
        }
    }

    public struct Response: Sendable {
        public var description: String
        public var schema: JSONValue?
        public var contentType: String

        public init(_ description: String, schema: JSONValue? = nil, contentType: String = "application/json") {
            self.description = description
            self.schema = schema
            self.contentType = contentType
        }
    }

    public var operationID: String
    public var summary: String
    public var tag: String
    public var parameters: [Parameter]
    public var requestBody: JSONValue?
    public var responses: [Int: Response]

    public init(_ operationID: String, summary: String, tag: String, parameters: [Parameter] = [], requestBody: JSONValue? = nil, responses: [Int: Response]) {
        self.operationID = operationID
        self.summary = summary
        self.tag = tag
        self.parameters = parameters
        self.requestBody = requestBody
        self.responses = responses
    }
}
