import Foundation

/// When each step of a policy fires for one alert, as a function of the policy and the instant
/// escalation started (the alert was triggered, re-triggered, or escalated by hand) only.
///
/// Step `s` of pass `p` fires at `start` plus the delays of every step before it, across passes:
/// `start + p × (sum of all delays) + (delays of steps 0..<s)`. A step's delay is the wait after it
/// fires; so the last step's delay separates passes and matters only when the policy repeats.
/// Fire times never decrease, and equal delays of 0 make steps fire at the same instant, in order.
public struct EscalationTimeline: Sendable, Hashable {
    /// A policy that fails `EscalationPolicy.validate()`: its timeline is not defined.
    public struct InvalidPolicy: Error, Sendable, Hashable {
        public var errors: [PolicyFieldError]
    }

    /// One step of `plan(resolvesToNobody:)`.
    public struct PlannedStep: Sendable, Hashable {
        public var index: StepIndex
        public var fireTime: Date
        /// Its targets resolved to nobody at `fireTime`.
        public var resolvesToNobody: Bool
    }

    public let policy: EscalationPolicy
    /// The instant pass 0 step 0 fires.
    public let start: Date
    /// `offsets[s]`: seconds from the start of a pass to step `s`; the last element is a pass's length.
    private let offsets: [Int]

    public init(policy: EscalationPolicy, start: Date) throws(InvalidPolicy) {
        let errors = policy.validate()
        guard errors.isEmpty else { throw InvalidPolicy(errors: errors) }
        self.policy = policy
        self.start = start
        var offsets = [0]
        for step in policy.steps { offsets.append(offsets[offsets.count - 1] + step.delaySeconds) }
        self.offsets = offsets
    }

    /// Every step firing in order: `(1 + repeatCount) × steps.count` of them.
    public var stepIndices: [StepIndex] {
        (0...policy.repeatCount).flatMap { pass in policy.steps.indices.map { StepIndex(pass: pass, step: $0) } }
    }

    /// The step firing after `index`; the first when `index` is nil; nil after the last. An
    /// `index` recorded under a longer version of the policy (edited since it fired) goes on to
    /// the next pass, or ends escalation when that pass no longer exists.
    public func index(after index: StepIndex?) -> StepIndex? {
        guard let index else { return StepIndex(pass: 0, step: 0) }
        let next = index.step + 1 < policy.steps.count ? StepIndex(pass: index.pass, step: index.step + 1) : StepIndex(pass: index.pass + 1, step: 0)
        return contains(next) ? next : nil
    }

    /// Whether `index` names a step of this timeline.
    public func contains(_ index: StepIndex) -> Bool {
        (0...policy.repeatCount).contains(index.pass) && policy.steps.indices.contains(index.step)
    }

    /// When step `index` fires; `index` must be one of `stepIndices`.
    public func fireTime(of index: StepIndex) -> Date {
        precondition(contains(index), "\(index) is not a step of policy \(policy.id)")
        return start.addingTimeInterval(Double(index.pass * offsets[offsets.count - 1] + offsets[index.step]))
    }

    /// Every step after `lastFired` (from the first when nil) whose fire time is at or before
    /// `now`, in order. The engine records the last one it fires, so after any pause (a restart
    /// far in the future) all overdue steps come back at once, and each exactly once.
    public func dueSteps(after lastFired: StepIndex?, at now: Date) -> [StepIndex] {
        var due: [StepIndex] = []
        var next = index(after: lastFired)
        while let candidate = next, fireTime(of: candidate) <= now {
            due.append(candidate)
            next = index(after: candidate)
        }
        return due
    }

    /// When the step after `lastFired` fires (the first when nil); nil when no step is left.
    public func nextFireTime(after lastFired: StepIndex?) -> Date? {
        index(after: lastFired).map(fireTime(of:))
    }

    /// The timeline after step `index` fired and its targets resolved to nobody. With
    /// `skipEmptySteps` the policy does not wait out that step's delay: every later step moves
    /// earlier by it, so the next one fires at the empty step's fire time. Without it, `self`.
    /// Only the steps after `index` are meaningful in the answer.
    public func afterEmptyStep(_ index: StepIndex) -> EscalationTimeline {
        guard policy.skipEmptySteps else { return self }
        precondition(contains(index), "\(index) is not a step of policy \(policy.id)")
        return EscalationTimeline(validated: policy, start: start.addingTimeInterval(-Double(policy.steps[index.step].delaySeconds)), offsets: offsets)
    }

    /// The whole run when no one acknowledges: each step with its fire time, asking
    /// `resolvesToNobody` (the step, the instant it fires) whether its targets name nobody then,
    /// and applying `afterEmptyStep` when they do.
    public func plan(resolvesToNobody: (StepIndex, Date) -> Bool) -> [PlannedStep] {
        var timeline = self
        var planned: [PlannedStep] = []
        var next = index(after: nil)
        while let index = next {
            let at = timeline.fireTime(of: index)
            let empty = resolvesToNobody(index, at)
            planned.append(PlannedStep(index: index, fireTime: at, resolvesToNobody: empty))
            if empty { timeline = timeline.afterEmptyStep(index) }
            next = timeline.index(after: index)
        }
        return planned
    }

    private init(validated policy: EscalationPolicy, start: Date, offsets: [Int]) {
        self.policy = policy
        self.start = start
        self.offsets = offsets
    }
}
