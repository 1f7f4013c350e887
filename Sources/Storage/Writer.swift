import Dispatch
import Foundation
import Logging
import Synchronization

/// The single writer: a dedicated thread that owns the write connection and commits queued jobs
/// in groups (one fsync for everything that arrived while the previous commit was in flight).
final class Writer: Sendable {
    private struct State {
        var queue: [any QueuedWrite] = []
        var isClosed = false
    }

    private enum Next {
        case batch([any QueuedWrite])
        case wait
        case stop
    }

    let maximumBatchSize: Int
    private let state = Mutex(State())
    /// Signalled once per queued job and once by `close`; extra signals only cost a loop turn.
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let threadID = Atomic<UInt>(0)
    private let logger: Logger
    private let observer: (@Sendable (_ seconds: Double, _ jobsInCommit: Int) -> Void)?

    /// Starts the thread and opens the write connection on it; throws if opening fails.
    init(path: String, maximumBatchSize: Int, logger: Logger, checkpointer: Checkpointer,
         observer: (@Sendable (_ seconds: Double, _ jobsInCommit: Int) -> Void)?) throws {
        self.maximumBatchSize = max(1, maximumBatchSize)
        self.logger = logger
        self.observer = observer
        let opened = DispatchSemaphore(value: 0)
        let openError = Mutex<(any Error)?>(nil)
        let thread = Thread { [self] in
            threadID.store(ThreadIdentity.current, ordering: .releasing)
            let connection: Connection
            do {
                connection = try Connection(path: path, role: .writer)
                connection.onCommit { [weak connection] pages in
                    if pages >= Checkpointer.writerFallbackPages {
                        try? connection?.checkpointPassive()
                    } else if pages >= Checkpointer.requestPages {
                        checkpointer.request()
                    }
                }
            } catch {
                openError.withLock { $0 = error }
                state.withLock { $0.isClosed = true }
                opened.signal()
                finished.signal()
                return
            }
            opened.signal()
            run(on: connection)
            connection.close(checkpoint: true)
            finished.signal()
        }
        thread.name = "watchkeeper.storage.writer"
        thread.start()
        opened.wait()
        if let error = openError.withLock({ $0 }) {
            throw error
        }
    }

    var isOnWriterThread: Bool {
        ThreadIdentity.current == threadID.load(ordering: .acquiring)
    }

    var isClosed: Bool {
        state.withLock { $0.isClosed }
    }

    /// Jobs queued and not yet taken by the writer.
    var queuedJobCount: Int {
        state.withLock { $0.queue.count }
    }

    /// Queues `job` and blocks until its batch has been committed (or failed).
    func submit<T: Sendable>(exclusive: Bool = false,
                             _ job: @escaping @Sendable (Connection) throws -> T) throws -> T {
        guard !isOnWriterThread else { throw DatabaseError.writeInsideWrite }
        let pending = PendingWrite(isExclusive: exclusive, job: job)
        try state.withLock { state in
            guard !state.isClosed else { throw DatabaseError.closed }
            state.queue.append(pending)
        }
        wake.signal()
        return try pending.wait()
    }

    /// Refuses new jobs, lets the thread commit the queued ones, and waits for it to close the connection.
    func close() {
        state.withLock { $0.isClosed = true }
        wake.signal()
        // From inside a job the thread cannot wait for itself; it stops after this batch anyway.
        guard !isOnWriterThread else { return }
        finished.wait()
        finished.signal()  // for any other caller of close
    }

    private func run(on connection: Connection) {
        while true {
            let next = state.withLock { state -> Next in
                guard let first = state.queue.first else { return state.isClosed ? .stop : .wait }
                var count = 1
                if !first.isExclusive {
                    while count < state.queue.count, count < maximumBatchSize, !state.queue[count].isExclusive {
                        count += 1
                    }
                }
                let batch = Array(state.queue.prefix(count))
                state.queue.removeFirst(count)
                return .batch(batch)
            }
            switch next {
            case .batch(let batch) where batch.count == 1 && batch[0].isExclusive:
                runExclusive(batch[0], on: connection)
            case .batch(let batch):
                commit(batch, on: connection)
            case .wait:
                wake.wait()
            case .stop:
                return
            }
        }
    }

    private func commit(_ batch: [any QueuedWrite], on connection: Connection) {
        let started = ContinuousClock.now
        var batchError: (any Error)?
        do {
            try connection.control("BEGIN IMMEDIATE")
            for job in batch {
                let jobError = job.perform(on: connection)
                if let jobError, !connection.isInTransaction {
                    throw DatabaseError.batchRolledBack(cause: jobError)
                }
            }
            try connection.control("COMMIT")
        } catch {
            batchError = error
            if connection.isInTransaction {
                try? connection.control("ROLLBACK")
            }
            logger.error("database write batch failed", metadata: [
                "jobs": "\(batch.count)", "error": "\(error)",
            ])
        }
        let elapsed = ContinuousClock.now - started
        observer?(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18, batch.count)
        // Only now, after COMMIT returned (durable with synchronous=FULL), are callers answered.
        for job in batch {
            job.complete(batchError: batchError)
        }
    }

    private func runExclusive(_ job: any QueuedWrite, on connection: Connection) {
        _ = job.perform(on: connection)
        var leftOpen: (any Error)?
        if connection.isInTransaction {
            try? connection.control("ROLLBACK")
            leftOpen = SQLiteError(code: 1, message: "an exclusive write job left its transaction open; rolled back")
        }
        job.complete(batchError: leftOpen)
    }
}
