import Dispatch
import Synchronization

/// A write job waiting in the writer's queue, type-erased over its result so that one batch can
/// hold jobs of different result types.
protocol QueuedWrite: AnyObject, Sendable {
    /// Runs alone, outside the batch transaction, managing its own transactions (migrations).
    var isExclusive: Bool { get }
    /// Runs the job on the writer thread and keeps its outcome; returns its error, if any.
    func perform(on connection: Connection) -> (any Error)?
    /// Answers the caller, after the commit: with the kept outcome, or with `batchError` unless
    /// the job already failed on its own.
    func complete(batchError: (any Error)?)
}

final class PendingWrite<T: Sendable>: QueuedWrite {
    let isExclusive: Bool
    private let job: @Sendable (Connection) throws -> T
    private let outcome = Mutex<Result<T, any Error>?>(nil)
    private let answered = DispatchSemaphore(value: 0)

    init(isExclusive: Bool, job: @escaping @Sendable (Connection) throws -> T) {
        self.isExclusive = isExclusive
        self.job = job
    }

    func perform(on connection: Connection) -> (any Error)? {
        // Inside the batch, each job gets a savepoint so its failure undoes only its own changes.
        let result = isExclusive
            ? Result { try job(connection) }
            : Result { try connection.transaction { try job(connection) } }
        outcome.withLock { $0 = result }
        if case .failure(let error) = result { return error }
        return nil
    }

    func complete(batchError: (any Error)?) {
        if let batchError {
            outcome.withLock { outcome in
                if case .failure = outcome { return }
                outcome = .failure(batchError)
            }
        }
        answered.signal()
    }

    /// Blocks the caller until the writer has answered.
    func wait() throws -> T {
        answered.wait()
        guard let result = outcome.withLock({ $0 }) else {
            preconditionFailure("a write job was answered without an outcome")
        }
        return try result.get()
    }
}
