import Foundation
import Synchronization

/// What a schedule-driven engine step (on-call history, shift notices) learnt in its last pass:
/// nothing is due before `next`. The engine wakes on every event; recomputing every schedule then
/// would make paging slower as schedules grow, so the step answers from here until `next` (or
/// the horizon), and `forget()` (on any change to users, rotations or schedules) makes the next
/// pass compute again. A clock moved backwards also computes again.
final class QuietPeriod: Sendable {
    private struct State {
        var from: Date
        var until: Date
        var next: Date?
    }

    private let state = Mutex<State?>(nil)

    /// The remembered next instant (nil: none within the horizon) when `now` is inside the quiet
    /// period; `.none` when the step must compute.
    func answer(at now: Date) -> Date?? {
        state.withLock { state in
            guard let state, now >= state.from, now < state.until else { return .none }
            return .some(state.next)
        }
    }

    /// After a pass at `now` that handled everything due: quiet until `next`, or for `horizon`.
    func remember(from now: Date, next: Date?, horizon: TimeInterval) {
        state.withLock { $0 = State(from: now, until: next ?? now.addingTimeInterval(horizon), next: next) }
    }

    func forget() {
        state.withLock { $0 = nil }
    }
}
