import Foundation
import Testing
import Paging

/// Invariants over random policies and random increasing sequences of instants. Each case has
/// its own seed, printed on failure.
struct EscalationPropertyTests {
    static let baseSeed: UInt64 = 0xE5C_2026

    static func randomPolicy(_ rng: inout SplitMix64) -> EscalationPolicy {
        let delays = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
            Bool.random(using: &rng) ? 0 : Int.random(in: 0...3600, using: &rng)
        }
        return policy(delays, repeatCount: Int.random(in: 0...4, using: &rng), skipEmpty: Bool.random(using: &rng))
    }

    @Test func fireTimesNeverDecrease() throws {
        for i in 0..<500 {
            let seed = Self.baseSeed &+ UInt64(i)
            var rng = SplitMix64(seed: seed)
            let timeline = try EscalationTimeline(policy: Self.randomPolicy(&rng), start: t0)
            let times = timeline.stepIndices.map(timeline.fireTime(of:))
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "seed \(seed)")
            #expect(times.first == t0, "seed \(seed)")
            let empty = Set(timeline.stepIndices.filter { _ in Bool.random(using: &rng) })
            let planned = timeline.plan { index, _ in empty.contains(index) }.map(\.fireTime)
            #expect(zip(planned, planned.dropFirst()).allSatisfy { $0 <= $1 }, "seed \(seed)")
            // Skipping only ever brings steps earlier.
            #expect(zip(planned, times).allSatisfy { $0 <= $1 }, "seed \(seed)")
        }
    }

    @Test func dueStepsOverIncreasingInstantsYieldEachStepOnce() throws {
        for i in 0..<500 {
            let seed = Self.baseSeed &+ 10_000 &+ UInt64(i)
            var rng = SplitMix64(seed: seed)
            let timeline = try EscalationTimeline(policy: Self.randomPolicy(&rng), start: t0)
            let end = timeline.fireTime(of: timeline.stepIndices.last!)
            var now = at(-Int.random(in: 0...100, using: &rng))
            var fired: [StepIndex] = []
            while now <= end {
                let due = timeline.dueSteps(after: fired.last, at: now)
                // Everything returned is due, and nothing left behind is.
                #expect(due.allSatisfy { timeline.fireTime(of: $0) <= now }, "seed \(seed)")
                if let next = timeline.nextFireTime(after: due.last ?? fired.last) { #expect(next > now, "seed \(seed)") }
                fired += due
                // Sometimes a long pause, as after a restart.
                now = now.addingTimeInterval(Double(Bool.random(using: &rng) ? Int.random(in: 1...60, using: &rng) : Int.random(in: 1...20_000, using: &rng)))
            }
            fired += timeline.dueSteps(after: fired.last, at: now)
            #expect(fired == timeline.stepIndices, "seed \(seed)")
        }
    }
}
