import CSQLite
import CSQLiteWALBatch

/// One SQLite connection. Not `Sendable`: a connection is confined to the writer thread or lent
/// to one reader at a time, and reaches user code only inside `Database.read`/`write` closures.
public final class Connection {
    enum Role {
        /// The one connection that writes; owned by the writer thread.
        case writer
        /// A pooled connection that refuses writes (`query_only`), so every change goes through
        /// the serialized writer and its group commit.
        case reader
        /// Only copies committed WAL pages into the database file (`Checkpointer`).
        case checkpointer
    }

    let handle: OpaquePointer
    let path: String
    private var statements: StatementCache
    private var controlStatements = StatementCache(capacity: 32)
    private var savepointDepth = 0
    /// Read by the authorizer: user SQL may not BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE, because
    /// that would end the batch transaction of the group commit (or the snapshot of a read).
    fileprivate var allowsTransactionControl = false
    fileprivate var deniedTransactionControl = false
    private var isClosed = false

    static let busyTimeoutMilliseconds: Int32 = 5_000

    init(path: String, role: Role, statementCacheCapacity: Int = 128) throws {
        var handle: OpaquePointer?
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        if role == .writer { flags |= SQLITE_OPEN_CREATE }
        // Only the writer writes WAL frames; it gathers them into one write call per commit.
        // Correct only because every connection syncs each commit (`synchronous = FULL` below).
        let batchVFS = watchkeeper_wal_batch_vfs_register()
        let vfs = role == .writer ? batchVFS : nil
        let result = sqlite3_open_v2(path, &handle, flags, vfs)
        guard result == SQLITE_OK, let handle else {
            let error = SQLiteError(handle: handle, resultCode: result, sql: nil)
            sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        self.path = path
        self.statements = StatementCache(capacity: statementCacheCapacity)
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        sqlite3_set_authorizer(handle, authorize, Unmanaged.passUnretained(self).toOpaque())
        do {
            try configure(role: role)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    private func configure(role: Role) throws {
        // The first statement to read the file: fails here with "file is not a database" if it is not.
        let mode = try queryOne("PRAGMA journal_mode = WAL")?[index: 0]
        guard mode == .text("wal") else {
            throw SQLiteError(code: SQLITE_ERROR, message: "could not switch to WAL mode (journal_mode is \(mode ?? .null))")
        }
        try execute("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")
        switch role {
        case .reader:
            try execute("PRAGMA query_only = ON")
        case .checkpointer:
            break
        case .writer:
            // The WAL is checkpointed by the `Checkpointer`'s connection (see `onCommit`), not
            // inside the writer's commits. After a checkpoint the WAL file is cut back to 64 MB.
            try execute("PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = \(64 << 20)")
        }
    }

    /// Called after each commit with the pages now in the WAL (replaces SQLite's automatic checkpoint).
    private var commitHook: ((Int32) -> Void)?

    /// Installs `hook`, run on this connection's thread after each commit with the WAL's page count.
    func onCommit(_ hook: @escaping (_ walPages: Int32) -> Void) {
        commitHook = hook
        sqlite3_wal_hook(handle, { context, _, _, pages in
            guard let context else { return SQLITE_OK }
            Unmanaged<Connection>.fromOpaque(context).takeUnretainedValue().commitHook?(pages)
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Copies what it can of the WAL into the database file without waiting for readers or the writer.
    func checkpointPassive() throws {
        let result = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        // Busy: another checkpoint is running; the next request tries again.
        guard result == SQLITE_OK || result == SQLITE_BUSY else { throw error(result, sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }

    /// Finalizes cached statements and closes; `checkpoint` first folds the WAL into the database file.
    func close(checkpoint: Bool = false) {
        guard !isClosed else { return }
        isClosed = true
        if checkpoint {
            sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
        }
        statements.removeAll()
        controlStatements.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: Statements

    /// Runs a script of one or more statements without bindings (migrations, schema setup).
    public func execute(_ sql: String) throws {
        try sql.withCString { start in
            var remaining: UnsafePointer<CChar>? = start
            while let current = remaining, current.pointee != 0 {
                var statement: OpaquePointer?
                let prepared = sqlite3_prepare_v2(handle, current, -1, &statement, &remaining)
                guard prepared == SQLITE_OK else {
                    sqlite3_finalize(statement)
                    throw error(prepared, sql: Self.statementText(from: current, to: remaining) ?? sql)
                }
                // Whitespace or a comment at the end prepares to no statement.
                guard let statement else { continue }
                defer { sqlite3_finalize(statement) }
                var stepped: Int32
                repeat { stepped = sqlite3_step(statement) } while stepped == SQLITE_ROW
                guard stepped == SQLITE_DONE else {
                    throw error(stepped, sql: String(cString: sqlite3_sql(statement)))
                }
            }
        }
    }

    /// Runs one statement; returns the number of rows it inserted, updated or deleted.
    @discardableResult
    public func run(_ sql: String, _ bindings: [SQLValue] = []) throws -> Int {
        let statement = try prepared(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        while try statement.step() {}
        return Int(sqlite3_changes64(handle))
    }

    public func query(_ sql: String, _ bindings: [SQLValue] = []) throws -> [Row] {
        let statement = try prepared(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        var rows: [Row] = []
        while try statement.step() {
            rows.append(statement.currentRow())
        }
        return rows
    }

    /// The first row, or `nil`; the statement is not stepped further.
    public func queryOne(_ sql: String, _ bindings: [SQLValue] = []) throws -> Row? {
        let statement = try prepared(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        return try statement.step() ? statement.currentRow() : nil
    }

    public var lastInsertRowID: Int64 {
        sqlite3_last_insert_rowid(handle)
    }

    /// Runs `body` inside a SAVEPOINT: all of its changes are kept, or none if it throws.
    /// Nests; the outermost level on the writer is still part of the batch transaction.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "watchkeeper_savepoint_\(savepointDepth)"
        try control("SAVEPOINT \(name)")
        do {
            let result = try body()
            try control("RELEASE \(name)")
            return result
        } catch {
            // SQLite may already have rolled back the whole transaction (I/O error, disk full).
            if isInTransaction {
                try? control("ROLLBACK TO \(name)")
                try? control("RELEASE \(name)")
            }
            throw error
        }
    }

    // MARK: Internal

    var isInTransaction: Bool {
        sqlite3_get_autocommit(handle) == 0
    }

    /// BEGIN, COMMIT, ROLLBACK, SAVEPOINT and RELEASE issued by this module, never by user SQL.
    /// Cached apart from user statements, so `run("COMMIT")` cannot reach an authorized one.
    func control(_ sql: String) throws {
        allowsTransactionControl = true
        defer { allowsTransactionControl = false }
        let statement = try controlStatements.statement(for: sql) { try Statement(connection: self, sql: sql) }
        defer { statement.reset() }
        while try statement.step() {}
    }

    func error(_ resultCode: Int32, sql: String?) -> any Error {
        if resultCode == SQLITE_AUTH, deniedTransactionControl {
            deniedTransactionControl = false
            return DatabaseError.transactionControlNotAllowed(sql: sql ?? "")
        }
        return SQLiteError(handle: handle, resultCode: resultCode, sql: sql)
    }

    private func prepared(_ sql: String) throws -> Statement {
        try statements.statement(for: sql) { try Statement(connection: self, sql: sql) }
    }

    private static func statementText(from start: UnsafePointer<CChar>, to end: UnsafePointer<CChar>?) -> String? {
        guard let end, end > start else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: start, count: end - start), as: UTF8.self)
    }
}

@available(*, unavailable, message: "a Connection stays on the thread that runs the read or write closure")
extension Connection: Sendable {}

/// The authorizer callback: denies transaction control unless ``Connection/control(_:)`` is running.
private func authorize(
    context: UnsafeMutableRawPointer?, action: Int32,
    _: UnsafePointer<CChar>?, _: UnsafePointer<CChar>?, _: UnsafePointer<CChar>?, _: UnsafePointer<CChar>?
) -> Int32 {
    guard action == SQLITE_TRANSACTION || action == SQLITE_SAVEPOINT, let context else { return SQLITE_OK }
    let connection = Unmanaged<Connection>.fromOpaque(context).takeUnretainedValue()
    guard connection.allowsTransactionControl else {
        connection.deniedTransactionControl = true
        return SQLITE_DENY
    }
    return SQLITE_OK
}
