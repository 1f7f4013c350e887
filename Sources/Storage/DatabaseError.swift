/// Errors of the ``Database`` itself, as opposed to errors SQLite reports for a statement.
public enum DatabaseError: Error, CustomStringConvertible {
    /// The file could not be opened or set up as a database (`underlying` says why).
    case cannotOpen(path: String, underlying: any Error)
    /// The database was closed; no more reads or writes.
    case closed
    /// `write` was called from inside a write job: the writer would wait for itself.
    case writeInsideWrite
    /// `read` was called from inside a `read` on the same thread.
    case readInsideRead
    /// A job ran BEGIN, COMMIT, ROLLBACK, SAVEPOINT or RELEASE itself; use `Connection.transaction`.
    case transactionControlNotAllowed(sql: String)
    /// A write job's failure made SQLite roll back the whole batch transaction (disk full, I/O error).
    case batchRolledBack(cause: any Error)
    /// `backup(to:)` refuses to replace an existing file.
    case backupDestinationExists(path: String)
    /// A file-system step of `backup(to:)` or of opening failed.
    case fileSystem(operation: String, path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let underlying):
            "cannot open database at \(path): \(underlying)"
        case .closed:
            "the database is closed"
        case .writeInsideWrite:
            "Database.write was called from inside a write job; use the job's Connection instead"
        case .readInsideRead:
            "Database.read was called from inside a read on the same thread; use the Connection you have"
        case .transactionControlNotAllowed(let sql):
            "transaction control statements are not allowed here (use Connection.transaction): \(sql)"
        case .batchRolledBack(let cause):
            "SQLite rolled back the write batch: \(cause)"
        case .backupDestinationExists(let path):
            "backup destination \(path) already exists; choose a new file name"
        case .fileSystem(let operation, let path, let reason):
            "cannot \(operation) \(path): \(reason)"
        }
    }
}
