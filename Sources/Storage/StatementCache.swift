/// Prepared statements of one connection, keyed by SQL text, least recently used evicted first.
struct StatementCache {
    let capacity: Int
    private var entries: [String: Entry] = [:]
    /// The same statements by where the SQL text's bytes live. Most SQL is a string literal, whose
    /// bytes never move: finding it by address skips hashing a few hundred bytes per statement,
    /// which the writer did about twenty times per ingested alert. The text is compared on every
    /// hit (free for the same literal), so an address reused by another string only misses.
    private var byAddress: [TextAddress: Entry] = [:]
    private var clock: UInt64 = 0

    /// Shared by both indexes, so a hit by address updates the recency without hashing the text.
    private final class Entry {
        let sql: String
        let statement: Statement
        var lastUse: UInt64

        init(sql: String, statement: Statement, lastUse: UInt64) {
            self.sql = sql
            self.statement = statement
            self.lastUse = lastUse
        }
    }

    private struct TextAddress: Hashable {
        var start: UInt
        var count: Int
    }

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    mutating func statement(for sql: String, prepare: () throws -> Statement) rethrows -> Statement {
        clock &+= 1
        var sql = sql
        let address = sql.withUTF8 { TextAddress(start: UInt(bitPattern: $0.baseAddress), count: $0.count) }
        if let hit = byAddress[address], hit.sql == sql {
            hit.lastUse = clock
            return hit.statement
        }
        if let entry = entries[sql] {
            entry.lastUse = clock
            remember(address, entry)
            return entry.statement
        }
        let statement = try prepare()
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            // Finalized when the last reference goes; a caller still holding it may finish its use.
            entries[oldest.key] = nil
            byAddress = byAddress.filter { $0.value !== oldest.value }
        }
        let entry = Entry(sql: sql, statement: statement, lastUse: clock)
        entries[sql] = entry
        remember(address, entry)
        return statement
    }

    /// Interpolated SQL lives at a new address each time: the index is bounded and starts over.
    private mutating func remember(_ address: TextAddress, _ entry: Entry) {
        if byAddress.count >= 2 * capacity { byAddress.removeAll(keepingCapacity: true) }
        byAddress[address] = entry
    }

    mutating func removeAll() {
        entries.removeAll()
        byAddress.removeAll()
    }
}
