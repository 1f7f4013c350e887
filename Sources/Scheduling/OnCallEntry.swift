/// One user on call at an instant, with every reason that applies (in rule order, then overrides).
public struct OnCallEntry: Sendable, Codable, Hashable {
    public var userId: String
    public var reasons: [OnCallReason]

    public init(userId: String, reasons: [OnCallReason]) {
        self.userId = userId
        self.reasons = reasons
    }
}
