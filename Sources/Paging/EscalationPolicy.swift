/// An escalation policy: ordered steps, each paging its targets and waiting `delaySeconds` for an
/// acknowledgement before the next step; the whole list runs `1 + repeatCount` times.
public struct EscalationPolicy: Sendable, Codable, Hashable {
    public struct Step: Sendable, Codable, Hashable {
        public struct Target: Sendable, Codable, Hashable {
            public enum Kind: String, Sendable, Codable, Hashable { case user, rotation, schedule }
            public var kind: Kind
            public var id: String
            public init(kind: Kind, id: String) { self.kind = kind; self.id = id }
        }

        public var targets: [Target]
        /// Seconds to wait after this step fires before the next one.
        public var delaySeconds: Int
        public init(targets: [Target], delaySeconds: Int) { self.targets = targets; self.delaySeconds = delaySeconds }
    }

    public var id: String
    public var name: String
    public var steps: [Step]
    /// How many more times the whole list runs after the first pass.
    public var repeatCount: Int
    /// Skip a step whose targets resolve to nobody instead of waiting out its delay.
    public var skipEmptySteps: Bool
    /// Seconds after which an acknowledged but unresolved alert is triggered again; nil: never.
    public var acknowledgementTimeoutSeconds: Int?

    public init(id: String, name: String, steps: [Step], repeatCount: Int = 0, skipEmptySteps: Bool = false, acknowledgementTimeoutSeconds: Int? = nil) {
        self.id = id
        self.name = name
        self.steps = steps
        self.repeatCount = repeatCount
        self.skipEmptySteps = skipEmptySteps
        self.acknowledgementTimeoutSeconds = acknowledgementTimeoutSeconds
    }
}
