import Foundation
import Synchronization

/// Where the server reads the current instant. Injected everywhere, so tests move time
/// instead of sleeping.
public protocol TimeSource: Sendable {
    func now() -> Date
}

public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to; for tests.
public final class ManualTimeSource: TimeSource {
    private let current: Mutex<Date>
    private let listeners = Mutex<[@Sendable () -> Void]>([])

    public init(_ start: Date) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    public func set(_ date: Date) {
        current.withLock { $0 = date }
        changed()
    }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
        changed()
    }

    /// Called after every change of the time (the engine wakes to run what became due).
    public func subscribe(_ listener: @escaping @Sendable () -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    private func changed() {
        for listener in listeners.withLock({ $0 }) { listener() }
    }
}
