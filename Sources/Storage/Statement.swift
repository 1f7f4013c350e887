import CSQLite

/// A prepared statement, owned by one ``Connection`` and used on its thread only.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    private unowned let connection: Connection
    /// Built on first use; a statement's columns do not change unless the schema does,
    /// and then SQLite re-prepares it and the count check below rebuilds the layout.
    private var layout: ColumnLayout?

    /// SQLite copies bound text and blobs (`SQLITE_TRANSIENT` is a macro Swift cannot import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(connection: Connection, sql: String) throws {
        var handle: OpaquePointer?
        let result = sqlite3_prepare_v2(connection.handle, sql, -1, &handle, nil)
        guard result == SQLITE_OK else {
            sqlite3_finalize(handle)
            throw connection.error(result, sql: sql)
        }
        guard let handle else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "the SQL text holds no statement", sql: sql)
        }
        self.handle = handle
        self.sql = sql
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ values: [SQLValue]) throws {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw SQLiteError(code: SQLITE_RANGE,
                              message: "the statement has \(expected) parameters but \(values.count) values were bound",
                              sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .null:
                result = sqlite3_bind_null(handle, index)
            case .integer(let integer):
                result = sqlite3_bind_int64(handle, index, integer)
            case .real(let real):
                result = sqlite3_bind_double(handle, index, real)
            case .text(var text):
                result = text.withUTF8 { bytes in
                    // A null pointer would bind NULL, not the empty string.
                    guard let base = bytes.baseAddress, bytes.count > 0 else {
                        return sqlite3_bind_text(handle, index, "", 0, Self.transient)
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(bytes.count), Self.transient,
                                            UInt8(SQLITE_UTF8))
                    }
                }
            case .blob(let bytes):
                result = bytes.withUnsafeBytes { buffer in
                    // A null pointer would bind NULL, not an empty blob.
                    guard let base = buffer.baseAddress, buffer.count > 0 else {
                        return sqlite3_bind_zeroblob(handle, index, 0)
                    }
                    return sqlite3_bind_blob64(handle, index, base, sqlite3_uint64(buffer.count), Self.transient)
                }
            }
            guard result == SQLITE_OK else { throw connection.error(result, sql: sql) }
        }
    }

    /// Steps once; `true` while a row is available.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let result: throw connection.error(result, sql: sql)
        }
    }

    /// Ready for the next use, with no values kept alive by old bindings.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func currentRow() -> Row {
        let count = Int(sqlite3_column_count(handle))
        let layout: ColumnLayout
        if let existing = self.layout, existing.names.count == count {
            layout = existing
        } else {
            layout = ColumnLayout(names: (0..<count).map { String(cString: sqlite3_column_name(handle, Int32($0))) })
            self.layout = layout
        }
        var values: [SQLValue] = []
        values.reserveCapacity(count)
        for column in 0..<Int32(count) {
            values.append(value(at: column))
        }
        return Row(layout: layout, values: values)
    }

    private func value(at column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            // Text first, then bytes: the byte count refers to the converted UTF-8 form.
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            guard let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .blob([UInt8](UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }
}
