/// A Sentinel or Azure Monitor body that cannot be read: `field` is the JSON path at fault
/// (`object.properties.severity`), so the server can answer a problem naming it.
public struct SentinelPayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
