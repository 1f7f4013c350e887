/// One node of the routing tree: one path segment position, with the routes that end here.
struct RouteNode: Sendable {
    var literals: [Substring: RouteNode] = [:]
    /// Zero or one child for a `:name` segment. An array, because a struct cannot hold an
    /// optional of itself.
    var parameter: [RouteNode] = []
    /// The name of the parameter this node captures, on parameter children only.
    var parameterName: String?
    var endpoints: [HTTPMethod: RouteEndpoint] = [:]
    /// Routes ending in `*` after this node's segment.
    var wildcardEndpoints: [HTTPMethod: RouteEndpoint] = [:]

    mutating func insert(_ segments: ArraySlice<RoutePattern.Segment>, method: HTTPMethod, endpoint: RouteEndpoint) {
        guard let first = segments.first else {
            precondition(endpoints[method] == nil, "route \(method) \(endpoint.pattern) is registered twice")
            endpoints[method] = endpoint
            return
        }
        let rest = segments.dropFirst()
        switch first {
        case .literal(let text):
            literals[Substring(text), default: RouteNode()].insert(rest, method: method, endpoint: endpoint)
        case .parameter(let name):
            if parameter.isEmpty { parameter = [RouteNode(parameterName: name)] }
            // One name per position keeps matching to a single walk; two names would be ambiguous anyway.
            precondition(parameter[0].parameterName == name,
                         "route \(endpoint.pattern) names parameter ':\(name)' where another route has ':\(parameter[0].parameterName ?? "")'")
            parameter[0].insert(rest, method: method, endpoint: endpoint)
        case .wildcard:
            precondition(wildcardEndpoints[method] == nil, "route \(method) \(endpoint.pattern) is registered twice")
            wildcardEndpoints[method] = endpoint
        }
    }

    /// The endpoints of the most specific route whose path matches `rest` (the path after the
    /// last consumed slash; nil once the path is used up). Literal beats parameter beats
    /// wildcard at each segment; a branch that dead-ends deeper falls back to the next kind.
    /// Parameters are recorded only along the successful branch.
    func find(_ rest: Substring?, _ parameters: inout [String: String], _ malformed: inout Bool) -> [HTTPMethod: RouteEndpoint]? {
        guard let rest else { return endpoints.isEmpty ? nil : endpoints }
        let slash = rest.utf8.firstIndex(of: UInt8(ascii: "/"))
        let segment = slash.map { rest[..<$0] } ?? rest
        let next = slash.map { rest[rest.index(after: $0)...] }
        if let child = literals[segment], let found = child.find(next, &parameters, &malformed) {
            return found
        }
        if !segment.isEmpty, let child = parameter.first, let found = child.find(next, &parameters, &malformed) {
            if let name = child.parameterName {
                if let value = Self.decode(segment) { parameters[name] = value } else { malformed = true }
            }
            return found
        }
        if !wildcardEndpoints.isEmpty {
            parameters["*"] = String(rest)
            return wildcardEndpoints
        }
        return nil
    }

    private static func decode(_ segment: Substring) -> String? {
        segment.utf8.contains(UInt8(ascii: "%")) ? PercentEncoding.decode(String(segment)) : String(segment)
    }
}
