/// Puts a target on call during weekly windows; a rule without windows is always active.
/// Several rules active at once put all their targets on call together.
public struct ScheduleRule: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var target: RuleTarget
    /// The rule is active while any window is; empty means always.
    public var windows: [WeeklyWindow]

    public init(id: String, target: RuleTarget, windows: [WeeklyWindow] = []) {
        self.id = id
        self.target = target
        self.windows = windows
    }
}
