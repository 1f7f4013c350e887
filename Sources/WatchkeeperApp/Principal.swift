import HTTPServer

/// Who made a request, once authenticated.
public struct Principal: Sendable, Codable, Equatable {
    public enum Kind: String, Codable, Sendable { case apiKey = "api_key" }
    public var kind: Kind
    public var id: Int64
    public var name: String
    public var role: Role
}
