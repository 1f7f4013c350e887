import Foundation
import Testing
import Paging

struct SkipEmptyStepTests {
    @Test func emptyStepIsSkippedAndTheNextFiresAtOnce() throws {
        let timeline = try EscalationTimeline(policy: policy([300, 600, 900], skipEmpty: true), start: t0)
        let plan = timeline.plan { index, _ in index.step == 0 }
        #expect(plan.map(\.fireTime) == [t0, t0, at(600)])
        #expect(plan.map(\.resolvesToNobody) == [true, false, false])
    }

    @Test func withoutTheOptionEmptyStepsWaitOutTheirDelay() throws {
        let timeline = try EscalationTimeline(policy: policy([300, 600, 900]), start: t0)
        let plan = timeline.plan { index, _ in index.step == 0 }
        #expect(plan.map(\.fireTime) == [t0, at(300), at(900)])
        #expect(timeline.afterEmptyStep(idx(0, 0)) == timeline)
    }

    @Test func skipsAccumulateAcrossStepsAndPasses() throws {
        let timeline = try EscalationTimeline(policy: policy([100, 200, 400], repeatCount: 1, skipEmpty: true), start: t0)
        // Step 1 is empty in every pass: each pass is 200 s shorter.
        let plan = timeline.plan { index, _ in index.step == 1 }
        #expect(plan.map(\.fireTime) == [0, 100, 100, 500, 600, 600].map(at))
    }

    @Test func predicateSeesTheShiftedFireTime() throws {
        // Step 1 resolves to nobody only if asked at its original instant (100 s); after step 0
        // is skipped it fires at 0 s, where someone is on call.
        let timeline = try EscalationTimeline(policy: policy([100, 200, 50], skipEmpty: true), start: t0)
        let plan = timeline.plan { index, instant in index.step == 0 || (index.step == 1 && instant == at(100)) }
        #expect(plan.map(\.fireTime) == [t0, t0, at(200)])
        #expect(plan.map(\.resolvesToNobody) == [true, false, false])
    }

    @Test func afterEmptyStepMovesOnlyLaterStepsByThatDelay() throws {
        let timeline = try EscalationTimeline(policy: policy([100, 200, 400], skipEmpty: true), start: t0)
        let moved = timeline.afterEmptyStep(idx(0, 1))
        #expect(moved.nextFireTime(after: idx(0, 1)) == at(100))
        #expect(moved.dueSteps(after: idx(0, 1), at: at(100)) == [idx(0, 2)])
    }

    @Test func everyStepEmptyStillEnds() throws {
        let timeline = try EscalationTimeline(policy: policy([60, 60], repeatCount: 20, skipEmpty: true), start: t0)
        let plan = timeline.plan { _, _ in true }
        #expect(plan.count == 42)
        #expect(plan.allSatisfy { $0.fireTime == t0 })
    }
}
