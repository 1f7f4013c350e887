import Dispatch
import Foundation
import Logging
import Storage
import Synchronization

/// The scheduler: one thread that runs every `EngineStep` and sleeps until the earliest instant
/// one of them reports, or until `wake()` (a commit that adds earlier work, a test moving the
/// clock). No fixed polling loop: with nothing due it sleeps up to `longestSleep`, a safety net
/// for clock jumps only. All timers are rows, so after a restart the first pass runs everything
/// overdue at once.
final class PagingEngine: Sendable {
    static let longestSleep: TimeInterval = 3600
    /// Wait after a failed pass (database busy or closing) before trying again.
    static let retryDelay: TimeInterval = 1

    private struct State {
        var started = false
        var stopping = false
        var passes = 0
    }

    private let steps: Mutex<[any EngineStep]>
    private let time: any TimeSource
    private let logger: Logger
    private let state = Mutex(State())
    /// Serializes passes: the thread's and those of `runNow()` callers (tests).
    private let passLock = Mutex(())
    private let wakeSemaphore = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(time: any TimeSource, logger: Logger) {
        self.steps = Mutex([])
        self.time = time
        self.logger = logger
    }

    /// Adds a step; steps run in the order added. Call before `start()`.
    func add(_ step: any EngineStep) {
        steps.withLock { $0.append(step) }
    }

    func start() {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started && !state.stopping
        }
        guard first else { return }
        let thread = Thread { [self] in run() }
        thread.name = "watchkeeper.engine"
        thread.start()
    }

    /// Wakes the scheduler for a pass now. Cheap; call after any commit that adds or moves work.
    func wake() {
        wakeSemaphore.signal()
    }

    /// Stops the thread after its pass in progress. Idempotent.
    func stop() {
        let wasRunning = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return state.started && !state.stopping
        }
        guard wasRunning else { return }
        wakeSemaphore.signal()
        finished.wait()
    }

    /// Under a stream of wakes (every ingest commit wakes the engine), passes start at most this
    /// often: each pass reads every step's next instant, and back to back they took a share of
    /// the CPU the ingest needs. New alerts page in their own commit, so little waits on this.
    static let minimumWokenPassSpacing: TimeInterval = 0.002

    private func run() {
        while !state.withLock({ $0.stopping }) {
            let started = DispatchTime.now()
            let next = runNow()
            let seconds = min(max(next.timeIntervalSince(time.now()), 0), Self.longestSleep)
            if seconds > 0 {
                // Wall time, so a clock change while asleep moves the wake-up with it.
                _ = wakeSemaphore.wait(wallTimeout: .now() + seconds)
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            if elapsed < Self.minimumWokenPassSpacing { Thread.sleep(forTimeInterval: Self.minimumWokenPassSpacing - elapsed) }
            // Several wakes while a pass ran need only one more pass.
            while wakeSemaphore.wait(timeout: .now()) == .success {}
        }
        finished.signal()
    }

    /// One pass of every step at the time source's `now`; returns the earliest instant a step
    /// has work next. A failing step is logged and retried after `retryDelay`; the others run.
    @discardableResult
    func runNow() -> Date {
        passLock.withLock { _ in
            // Whole milliseconds, the precision of every stored instant the steps compare with.
            let now = Date(unixMilliseconds: time.now().unixMilliseconds)
            var next = now.addingTimeInterval(Self.longestSleep)
            for step in steps.withLock({ $0 }) {
                do {
                    if let due = try step.run(at: now), due < next { next = due }
                } catch {
                    logger.error("engine step failed", metadata: ["step": "\(step.name)", "error": "\(error)"])
                    next = min(next, now.addingTimeInterval(Self.retryDelay))
                }
            }
            state.withLock { $0.passes += 1 }
            return next
        }
    }

    /// How many passes ran; for tests waiting on the thread.
    var passes: Int { state.withLock { $0.passes } }
}
