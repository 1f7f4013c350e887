import CSQLite
import Dispatch
import Foundation
import Logging
import Synchronization

/// Copies committed WAL pages into the database file on its own thread and connection, so the
/// writer never does. Inside the writer's commits, a checkpoint (thousands of pages copied and the
/// database file synced) stalled every caller of that batch for tens of milliseconds and took a
/// share of the one thread everything waits on. A passive checkpoint runs beside the writer and
/// its readers without blocking them; the writer asks for one after a commit leaves the WAL with
/// `requestPages` or more, and checkpoints itself only if the WAL passes `writerFallbackPages`
/// (this thread stuck or far behind).
final class Checkpointer: Sendable {
    static let requestPages: Int32 = 1_000
    static let writerFallbackPages: Int32 = 64_000

    private struct State {
        var requested = false
        var stopping = false
        var checkpoints = 0
    }

    private let path: String
    private let logger: Logger
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread; its connection opens at the first request (the writer creates the file).
    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
        let thread = Thread { [self] in run() }
        thread.name = "watchkeeper.storage.checkpointer"
        thread.start()
    }

    /// Asks for a checkpoint soon; cheap, callable from the writer's commit hook.
    func request() {
        let signal = state.withLock { state -> Bool in
            guard !state.requested, !state.stopping else { return false }
            state.requested = true
            return true
        }
        if signal { wake.signal() }
    }

    /// Checkpoints completed; for tests.
    var checkpoints: Int { state.withLock { $0.checkpoints } }

    /// Lets a checkpoint in progress finish, then stops the thread and closes its connection.
    func close() {
        let first = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        wake.signal()
        finished.wait()
    }

    private func run() {
        var connection: Connection?
        while true {
            wake.wait()
            let stop = state.withLock { state -> Bool in
                state.requested = false
                return state.stopping
            }
            if stop { break }
            do {
                if connection == nil { connection = try Connection(path: path, role: .checkpointer) }
                if let connection { try connection.checkpointPassive() }
                state.withLock { $0.checkpoints += 1 }
            } catch {
                // The writer falls back to checkpointing itself if this keeps failing.
                logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
            }
        }
        connection?.close()
        finished.signal()
    }
}
