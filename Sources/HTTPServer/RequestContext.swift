/// What the router learned while matching a request, plus values middleware attaches for the
/// handlers after it.
public struct RequestContext: Sendable {
    /// Path parameters by name, percent-decoded. A trailing `*` wildcard is stored under `"*"`
    /// still percent-encoded, because decoding would merge `%2F` with real separators.
    public var parameters: [String: String]
    /// The pattern of the matched route ("/api/v1/users/:id"); nil for the fallback.
    public var routeName: String?

    private var storage: [ObjectIdentifier: any Sendable] = [:]

    public init(parameters: [String: String] = [:], routeName: String? = nil) {
        self.parameters = parameters
        self.routeName = routeName
    }

    public subscript<K: RequestContextKey>(key: K.Type) -> K.Value? {
        get { storage[ObjectIdentifier(key)] as? K.Value }
        set { storage[ObjectIdentifier(key)] = newValue }
    }

    /// The path parameter `name`. Missing means the route has no such segment, so the resource
    /// the client named does not exist: 404.
    public func parameter(_ name: String) throws -> String {
        guard let value = parameters[name] else {
            throw HTTPError(.notFound, detail: "path parameter '\(name)' is missing")
        }
        return value
    }

    /// The path parameter `name` converted to `T` (an integer, say); 400 naming the parameter
    /// when the text does not convert.
    public func parameter<T: LosslessStringConvertible>(_ name: String, as type: T.Type) throws -> T {
        let text = try parameter(name)
        guard let value = T(text) else {
            throw HTTPError.invalid(name, "'\(text)' is not a valid \(name)")
        }
        return value
    }
}
