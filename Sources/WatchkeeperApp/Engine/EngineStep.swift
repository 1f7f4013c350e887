import Foundation

/// One small processing step of the paging engine over durable state (escalation, notification
/// rules, ack timeouts, the outbox, shift notices). The scheduler runs every step in turn, then
/// sleeps until the earliest instant any step reports.
protocol EngineStep: Sendable {
    var name: String { get }
    /// Does all work due at `now` and returns when this step next has work; nil: nothing
    /// scheduled (a change that adds work wakes the engine).
    func run(at now: Date) throws -> Date?
}
