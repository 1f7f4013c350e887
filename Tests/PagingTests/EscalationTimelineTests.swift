import Foundation
import Testing
import Paging

struct EscalationTimelineTests {
    struct Case: Sendable, CustomStringConvertible {
        var delays: [Int]
        var repeatCount: Int
        /// Seconds after the start, one per step firing in order.
        var expected: [Int]
        var description: String { "delays \(delays) repeat \(repeatCount)" }
    }

    static let cases: [Case] = [
        Case(delays: [300], repeatCount: 0, expected: [0]),
        Case(delays: [300], repeatCount: 2, expected: [0, 300, 600]),
        Case(delays: [60, 120, 600], repeatCount: 0, expected: [0, 60, 180]),
        Case(delays: [60, 120, 600], repeatCount: 1, expected: [0, 60, 180, 780, 840, 960]),
        Case(delays: [0, 0, 30], repeatCount: 2, expected: [0, 0, 0, 30, 30, 30, 60, 60, 60]),
        Case(delays: [10, 20, 0], repeatCount: 1, expected: [0, 10, 30, 30, 40, 60]),
    ]

    @Test(arguments: cases) func fireTimes(_ c: Case) throws {
        let timeline = try EscalationTimeline(policy: policy(c.delays, repeatCount: c.repeatCount), start: t0)
        #expect(timeline.stepIndices.count == c.delays.count * (c.repeatCount + 1))
        #expect(timeline.stepIndices.map(timeline.fireTime(of:)) == c.expected.map(at))
    }

    @Test func stepIndicesRunThroughEveryPassInOrder() throws {
        let timeline = try EscalationTimeline(policy: policy([60, 60], repeatCount: 1), start: t0)
        #expect(timeline.stepIndices == [idx(0, 0), idx(0, 1), idx(1, 0), idx(1, 1)])
        #expect(timeline.index(after: nil) == idx(0, 0))
        #expect(timeline.index(after: idx(0, 1)) == idx(1, 0))
        #expect(timeline.index(after: idx(1, 1)) == nil)
    }

    @Test func nextFireTimeFollowsTheLastFiredStep() throws {
        let timeline = try EscalationTimeline(policy: policy([60, 120], repeatCount: 1), start: t0)
        #expect(timeline.nextFireTime(after: nil) == t0)
        #expect(timeline.nextFireTime(after: idx(0, 0)) == at(60))
        #expect(timeline.nextFireTime(after: idx(0, 1)) == at(180))
        #expect(timeline.nextFireTime(after: idx(1, 0)) == at(240))
        #expect(timeline.nextFireTime(after: idx(1, 1)) == nil)
    }

    @Test func dueStepsAreThoseAtOrBeforeNowAndNotYetFired() throws {
        let timeline = try EscalationTimeline(policy: policy([60, 120, 600]), start: t0)
        #expect(timeline.dueSteps(after: nil, at: at(-1)) == [])
        #expect(timeline.dueSteps(after: nil, at: t0) == [idx(0, 0)])
        #expect(timeline.dueSteps(after: idx(0, 0), at: at(59)) == [])
        // Half-open nowhere: a step is due at exactly its fire time.
        #expect(timeline.dueSteps(after: idx(0, 0), at: at(60)) == [idx(0, 1)])
        #expect(timeline.dueSteps(after: idx(0, 0), at: at(180)) == [idx(0, 1), idx(0, 2)])
        #expect(timeline.dueSteps(after: idx(0, 2), at: at(1_000_000)) == [])
    }

    @Test func restartFarInTheFutureRunsEveryOverdueStepOnce() throws {
        let timeline = try EscalationTimeline(policy: policy([60, 300], repeatCount: 3), start: t0)
        let weekLater = at(7 * 86_400)
        let due = timeline.dueSteps(after: idx(0, 0), at: weekLater)
        #expect(due == Array(timeline.stepIndices.dropFirst()))
        #expect(Set(due).count == due.count)
        // Having fired them all, nothing is due again, however late.
        #expect(timeline.dueSteps(after: due.last, at: at(30 * 86_400)) == [])
        #expect(timeline.nextFireTime(after: due.last) == nil)
    }

    @Test func aStepRecordedBeforeThePolicyShrankNeverCrashesNorRepeats() throws {
        let timeline = try EscalationTimeline(policy: policy([60, 60], repeatCount: 1), start: t0)
        // Fired step 3 of pass 0 under a four-step version: the next pass begins.
        #expect(timeline.index(after: idx(0, 3)) == idx(1, 0))
        #expect(timeline.dueSteps(after: idx(0, 3), at: at(10_000)) == [idx(1, 0), idx(1, 1)])
        // Fired pass 4 under a version repeating more: nothing is left.
        #expect(timeline.index(after: idx(4, 0)) == nil)
        #expect(timeline.dueSteps(after: idx(4, 0), at: at(10_000)) == [])
        #expect(timeline.nextFireTime(after: idx(4, 1)) == nil)
    }

    @Test func invalidPolicyHasNoTimeline() {
        #expect(throws: EscalationTimeline.InvalidPolicy.self) { try EscalationTimeline(policy: policy([]), start: t0) }
        #expect(throws: EscalationTimeline.InvalidPolicy.self) { try EscalationTimeline(policy: policy([-1]), start: t0) }
    }
}
