/// One problem with a policy: the dotted path of the member ("steps.0.delaySeconds") and what is wrong.
public struct PolicyFieldError: Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) { self.field = field; self.message = message }
    public var description: String { "\(field): \(message)" }
}
