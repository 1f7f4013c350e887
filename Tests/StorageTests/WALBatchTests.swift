import Foundation
@testable import Storage
import Testing

/// The writer gathers its WAL writes in memory until SQLite syncs: what a commit returned for must
/// be in the WAL file (a copy of the files taken right then has it, as after a power cut), and
/// readers on their own connections see every commit.
@Suite struct WALBatchTests {
    @Test func everyCommitIsInTheWALFileWhenItReturnsAndReadersSeeIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("live.db")
        let database = try Database(path: path)
        defer { database.close() }
        try database.write { db in try db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)") }
        // Sizes below, around and far above the gathering buffer (256 KiB), and page-size records.
        let sizes = [10, 4_096, 70_000, 300_000, 1_500_000, 100]
        var expected = 0
        for (round, size) in sizes.enumerated() {
            try database.write { db in
                for n in 0..<3 {
                    try db.run("INSERT INTO items (payload) VALUES (?)", [.blob(Array(repeating: UInt8(truncatingIfNeeded: round * 3 + n), count: size))])
                }
            }
            expected += 3
            let seen = try database.read { db in try db.queryOne("SELECT count(*) AS n, sum(length(payload)) AS bytes FROM items") }
            #expect(try seen?.get("n", as: Int64.self) == Int64(expected))

            // The files as they are now, without the live connections: what a crash would leave.
            let copy = directory.file("copy-\(round).db")
            for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
                try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix)
            }
            let recovered = try Database(path: copy)
            let rows = try recovered.read { db in try db.query("SELECT id, payload FROM items ORDER BY id") }
            recovered.close()
            #expect(rows.count == expected)
            for (index, row) in rows.enumerated() {
                let payload: [UInt8] = try row.get("payload")
                let batch = index / 3
                #expect(payload.count == sizes[batch])
                #expect(payload.allSatisfy { $0 == UInt8(truncatingIfNeeded: index) })
            }
        }
    }

    @Test func aRolledBackJobLeavesNothingAndLaterCommitsAreIntact() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("live.db"))
        defer { database.close() }
        try database.write { db in try db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)") }
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try database.write { db in
                // Enough pages that some reach the WAL before the job fails.
                for _ in 0..<400 { try db.run("INSERT INTO items (payload) VALUES (?)", [.blob(Array(repeating: 1, count: 8_000))]) }
                throw Refused()
            }
        }
        try database.write { db in try db.run("INSERT INTO items (payload) VALUES (?)", [.blob([2, 2, 2])]) }
        let rows = try database.read { db in try db.query("SELECT payload FROM items") }
        #expect(rows.count == 1)
        #expect(try rows.first?.get("payload", as: [UInt8].self) == [2, 2, 2])
    }
}

/// The writer never checkpoints inside its commits: its commit hook hands that to the checkpointer
/// thread, which copies the WAL into the database file while the database stays open.
@Suite struct CheckpointerTests {
    @Test func aLongWALIsCopiedIntoTheDatabaseFileOffTheWriterThread() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("live.db")
        let database = try Database(path: path)
        defer { database.close() }
        try database.write { db in try db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)") }
        let sizeBefore = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        // About 5,000 pages of 4 KiB in 50 commits: well past the 1,000 pages that ask for a checkpoint.
        for _ in 0..<50 {
            try database.write { db in
                for _ in 0..<100 { try db.run("INSERT INTO items (payload) VALUES (?)", [.blob(Array(repeating: 9, count: 4_000))]) }
            }
        }
        #expect(eventually { database.backgroundCheckpoints >= 1 })
        let sizeAfter = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(sizeAfter > sizeBefore + 10_000_000, "database file \(sizeBefore) → \(sizeAfter) bytes")
        let count = try database.read { db in try db.queryOne("SELECT count(*) AS n FROM items")?.get("n", as: Int64.self) }
        #expect(count == 5_000)
    }
}
