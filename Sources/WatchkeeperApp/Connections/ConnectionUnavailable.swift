/// Why no ARM client can be built for a connection (deleted, no key, wrong key). The reason never
/// contains the secret.
public struct ConnectionUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var id: String
    public var reason: String
    public var description: String { "Sentinel connection \(id): \(reason)" }
}
