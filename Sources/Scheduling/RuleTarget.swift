/// Who a schedule rule puts on call: one user, or whoever a rotation says.
/// Encoded as `{"kind": "user", "id": "u-1"}`.
public struct RuleTarget: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case user
        case rotation
    }

    public var kind: Kind
    /// A user id or a rotation id, according to `kind`.
    public var id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }

    public static func user(_ id: String) -> RuleTarget { RuleTarget(kind: .user, id: id) }
    public static func rotation(_ id: String) -> RuleTarget { RuleTarget(kind: .rotation, id: id) }
}
