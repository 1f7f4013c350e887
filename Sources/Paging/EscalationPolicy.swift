import Foundation

/// An escalation policy: ordered steps, each paging its targets and waiting `delaySeconds` for an
/// acknowledgement before the next step; the whole list runs `1 + repeatCount` times.
public struct EscalationPolicy: Sendable, Codable, Hashable {
    public struct Step: Sendable, Codable, Hashable {
        public struct Target: Sendable, Codable, Hashable {
            public enum Kind: String, Sendable, Codable, Hashable, CaseIterable { case user, rotation, schedule }
            public var kind: Kind
            public var id: String
            public init(kind: Kind, id: String) { self.kind = kind; self.id = id }
        }

        public var targets: [Target]
        /// Seconds to wait after this step fires before the next one (the last step's delay
        /// leads to the first step of the next pass, so it matters only when the policy repeats).
        public var delaySeconds: Int
        public init(targets: [Target], delaySeconds: Int) { self.targets = targets; self.delaySeconds = delaySeconds }
    }

    public static let maximumSteps = 50
    public static let maximumTargetsPerStep = 50
    public static let delayRange = 0...86_400
    public static let repeatCountRange = 0...20
    public static let acknowledgementTimeoutRange = 60...604_800

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

    private enum CodingKeys: String, CodingKey { case id, name, steps, repeatCount, skipEmptySteps, acknowledgementTimeoutSeconds }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(steps, forKey: .steps)
        try container.encode(repeatCount, forKey: .repeatCount)
        try container.encode(skipEmptySteps, forKey: .skipEmptySteps)
        // Null is written, not omitted, so every representation has every member.
        try container.encode(acknowledgementTimeoutSeconds, forKey: .acknowledgementTimeoutSeconds)
    }

    /// The instant an alert acknowledged at `acknowledgedAt` and still unresolved is triggered
    /// again (and escalation restarts from the first step); nil when the policy has no timeout.
    public func retriggerTime(acknowledgedAt: Date) -> Date? {
        acknowledgementTimeoutSeconds.map { acknowledgedAt.addingTimeInterval(Double($0)) }
    }

    /// Every problem with the policy's timing and shape, with dotted API field paths
    /// ("steps.1.targets"). The name and whether targets exist are the caller's to check.
    public func validate() -> [PolicyFieldError] {
        var errors: [PolicyFieldError] = []
        if steps.isEmpty {
            errors.append(.init(field: "steps", message: "must have at least one step"))
        } else if steps.count > Self.maximumSteps {
            errors.append(.init(field: "steps", message: "must have at most \(Self.maximumSteps) steps"))
        }
        for (index, step) in steps.enumerated() {
            if step.targets.isEmpty {
                errors.append(.init(field: "steps.\(index).targets", message: "must have at least one target"))
            } else if step.targets.count > Self.maximumTargetsPerStep {
                errors.append(.init(field: "steps.\(index).targets", message: "must have at most \(Self.maximumTargetsPerStep) targets"))
            }
            for (position, target) in step.targets.enumerated() where target.id.isEmpty {
                errors.append(.init(field: "steps.\(index).targets.\(position).id", message: "must not be empty"))
            }
            if !Self.delayRange.contains(step.delaySeconds) {
                errors.append(.init(field: "steps.\(index).delaySeconds",
                                    message: "must be \(Self.delayRange.lowerBound) to \(Self.delayRange.upperBound) seconds"))
            }
        }
        if !Self.repeatCountRange.contains(repeatCount) {
            errors.append(.init(field: "repeatCount", message: "must be \(Self.repeatCountRange.lowerBound) to \(Self.repeatCountRange.upperBound)"))
        }
        if let timeout = acknowledgementTimeoutSeconds, !Self.acknowledgementTimeoutRange.contains(timeout) {
            errors.append(.init(field: "acknowledgementTimeoutSeconds",
                                message: "must be \(Self.acknowledgementTimeoutRange.lowerBound) to \(Self.acknowledgementTimeoutRange.upperBound) seconds, or null"))
        }
        return errors
    }
}
