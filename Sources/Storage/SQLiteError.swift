import CSQLite

/// An error reported by SQLite, with the statement that caused it.
public struct SQLiteError: Error, CustomStringConvertible {
    /// Primary result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, ...).
    public let code: Int32
    /// Extended result code (`SQLITE_CONSTRAINT_UNIQUE`, ...).
    public let extendedCode: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil) {
        self.code = code & 0xFF
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
    }

    /// The error SQLite holds for `handle` after a call returned `resultCode`.
    init(handle: OpaquePointer?, resultCode: Int32, sql: String?) {
        let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(resultCode))
        let extended = handle.map { sqlite3_extended_errcode($0) } ?? resultCode
        // errmsg/extended_errcode describe the most recent failure, which is this one only if
        // the primary codes agree (a later successful call may have reset them).
        self.init(code: resultCode, extendedCode: extended & 0xFF == resultCode & 0xFF ? extended : resultCode,
                  message: message, sql: sql)
    }

    // Extended codes are C macros built with `|` and `<<`, which Swift does not import.
    static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)
    static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)
    static let constraintForeignKey: Int32 = SQLITE_CONSTRAINT | (3 << 8)

    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }
    /// A UNIQUE or PRIMARY KEY constraint failed.
    public var isUniqueViolation: Bool {
        extendedCode == Self.constraintUnique || extendedCode == Self.constraintPrimaryKey
    }
    public var isForeignKeyViolation: Bool { extendedCode == Self.constraintForeignKey }
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    public var description: String {
        var text = "SQLite error \(extendedCode): \(message)"
        if let sql {
            let compact = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            text += " (in: \(compact.count > 200 ? compact.prefix(200) + "…" : compact))"
        }
        return text
    }
}
