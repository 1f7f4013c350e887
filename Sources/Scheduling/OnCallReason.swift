/// Why a user is on call. Fields that do not apply to `kind` are absent (nil).
public struct OnCallReason: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        /// A schedule rule targeting the user, or a rotation (then `rotationId` and `participantIndex`).
        case rule
        /// An `add` or `replace` override.
        case override
        /// A shift of a temporary schedule.
        case temporarySchedule
    }

    public var kind: Kind
    public var ruleId: String?
    public var rotationId: String?
    /// Index into the rotation's participants of the turn that put the user on call.
    public var participantIndex: Int?
    public var overrideId: String?
    public var overrideAction: ScheduleOverride.Action?
    /// For a `replace` override: the user taken off call.
    public var replacedUserId: String?
    public var temporaryScheduleId: String?

    public init(
        kind: Kind, ruleId: String? = nil, rotationId: String? = nil, participantIndex: Int? = nil,
        overrideId: String? = nil, overrideAction: ScheduleOverride.Action? = nil,
        replacedUserId: String? = nil, temporaryScheduleId: String? = nil
    ) {
        self.kind = kind
        self.ruleId = ruleId
        self.rotationId = rotationId
        self.participantIndex = participantIndex
        self.overrideId = overrideId
        self.overrideAction = overrideAction
        self.replacedUserId = replacedUserId
        self.temporaryScheduleId = temporaryScheduleId
    }
}
