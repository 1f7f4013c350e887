/// A problem with one field of a configuration. `field` is a path such as
/// "rules[2].windows[0].days", so an API can point at it.
public struct ValidationError: Error, Sendable, Codable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
