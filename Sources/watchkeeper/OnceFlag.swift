import Synchronization

/// True the first time `claim()` is called, false after.
final class OnceFlag: Sendable {
    private let claimed = Atomic(false)
    func claim() -> Bool { !claimed.exchange(true, ordering: .acquiringAndReleasing) }
}
