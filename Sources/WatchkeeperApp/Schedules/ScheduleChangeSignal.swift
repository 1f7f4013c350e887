import Synchronization

/// Tells interested parts of the server (the paging engine: on-call history, shift notices) that users, rotations or
/// schedules changed, so they recompute at once instead of polling.
public final class ScheduleChangeSignal: Sendable {
    private let listeners = Mutex<[@Sendable () -> Void]>([])

    public init() {}

    public func subscribe(_ listener: @escaping @Sendable () -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    /// Call after the change is committed.
    public func notify() {
        for listener in listeners.withLock({ $0 }) { listener() }
    }
}
