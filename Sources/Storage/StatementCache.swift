/// Prepared statements of one connection, keyed by SQL text, least recently used evicted first.
struct StatementCache {
    let capacity: Int
    private var entries: [String: (statement: Statement, lastUse: UInt64)] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    mutating func statement(for sql: String, prepare: () throws -> Statement) rethrows -> Statement {
        clock &+= 1
        if let entry = entries[sql] {
            entries[sql] = (entry.statement, clock)
            return entry.statement
        }
        let statement = try prepare()
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            // Finalized when the last reference goes; a caller still holding it may finish its use.
            entries[oldest.key] = nil
        }
        entries[sql] = (statement, clock)
        return statement
    }

    mutating func removeAll() {
        entries.removeAll()
    }
}
