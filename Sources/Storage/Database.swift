import Foundation
import Logging

/// A SQLite database file in WAL mode: one serialized writer thread with group commit, and a
/// small pool of reader connections.
///
/// `read` and `write` block the calling thread: call them from your own threads, not from
/// Swift concurrency's cooperative pool.
public final class Database: Sendable {
    /// Jobs committed together at most; bounds the latency one commit adds to its first job.
    public static let maximumJobsPerCommit = 512

    public let path: String
    let logger: Logger
    private let writer: Writer
    private let checkpointer: Checkpointer
    let readers: ReaderPool

    /// Opens (creating if needed, with its parent directory) the database at `path`.
    /// - Parameters:
    ///   - readers: reader connections in the pool (at least 1).
    ///   - writeObserver: called on the writer thread once per commit, with the time from BEGIN
    ///     to the end of COMMIT and the number of jobs in it. Keep it short: it delays the answers.
    public init(
        path: String,
        readers: Int = 4,
        logger: Logger = Logger(label: "watchkeeper.storage"),
        writeObserver: (@Sendable (_ seconds: Double, _ jobsInCommit: Int) -> Void)? = nil
    ) throws {
        self.path = path
        self.logger = logger
        try Self.createParentDirectory(of: path)
        let checkpointer = Checkpointer(path: path, logger: logger)
        self.checkpointer = checkpointer
        do {
            writer = try Writer(path: path, maximumBatchSize: Self.maximumJobsPerCommit,
                                logger: logger, checkpointer: checkpointer, observer: writeObserver)
        } catch {
            checkpointer.close()
            throw DatabaseError.cannotOpen(path: path, underlying: error)
        }
        do {
            self.readers = try ReaderPool(path: path, count: readers)
        } catch {
            checkpointer.close()
            writer.close()
            throw DatabaseError.cannotOpen(path: path, underlying: error)
        }
        logger.debug("database opened", metadata: ["path": "\(path)", "readers": "\(self.readers.count)"])
    }

    deinit {
        close()
    }

    /// Runs `job` on the writer thread inside the next group commit, and returns its result once
    /// that commit is durable. The job's changes are kept all or nothing (it runs in a savepoint);
    /// if it throws, the caller gets its error and the other jobs of the batch are unaffected.
    /// Calling `write` from inside a job throws ``DatabaseError/writeInsideWrite``.
    @discardableResult
    public func write<T: Sendable>(_ job: @escaping @Sendable (Connection) throws -> T) throws -> T {
        try writer.submit(job)
    }

    /// Runs `body` with a reader connection inside one read transaction (one consistent snapshot).
    /// Reader connections refuse writes. Waits only while every reader is busy.
    @discardableResult
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try readers.withConnection { connection in
            try connection.control("BEGIN")
            let result: T
            do {
                result = try body(connection)
            } catch {
                if connection.isInTransaction { try? connection.control("ROLLBACK") }
                throw error
            }
            try connection.control("COMMIT")
            return result
        }
    }

    /// Write jobs waiting for the writer (not counting the batch being committed): a queue-depth gauge.
    public var queuedWriteCount: Int {
        writer.queuedJobCount
    }

    /// `true` once `close` has begun: new writes are refused.
    public var isClosed: Bool {
        writer.isClosed
    }

    /// Commits the queued writes, stops the writer thread, checkpoints the WAL and closes every
    /// connection. Later reads and writes throw ``DatabaseError/closed``. Idempotent.
    public func close() {
        // First, so its connection does not hold the checkpoint lock the writer's final one needs.
        checkpointer.close()
        writer.close()
        readers.close()
    }

    /// WAL checkpoints done off the writer thread so far; for tests.
    var backgroundCheckpoints: Int { checkpointer.checkpoints }

    /// Runs `job` on the writer thread alone, outside any batch transaction; it manages its own.
    func writeExclusive<T: Sendable>(_ job: @escaping @Sendable (Connection) throws -> T) throws -> T {
        try writer.submit(exclusive: true, job)
    }

    static func createParentDirectory(of path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DatabaseError.fileSystem(operation: "create the directory", path: directory.path,
                                           reason: error.localizedDescription)
        }
    }
}
