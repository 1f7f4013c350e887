import Foundation
import Storage
import Synchronization
import Testing

@Suite struct BackupTests {
    @Test func aBackupTakenDuringWritesIsIntactAndConsistent() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("live.db"))
        defer { database.close() }
        try database.write { connection in
            try connection.execute("""
                CREATE TABLE items (id INTEGER PRIMARY KEY, payload BLOB NOT NULL);
                CREATE TABLE totals (id INTEGER PRIMARY KEY CHECK (id = 1), items INTEGER NOT NULL);
                INSERT INTO totals VALUES (1, 0);
                """)
        }
        // Every job adds an item and bumps the total in the same transaction: a consistent copy
        // has exactly as many items as its total says.
        let addItem: @Sendable (Connection) throws -> Void = { connection in
            try connection.run("INSERT INTO items (payload) VALUES (?)", [.blob(Array(repeating: 7, count: 2_000))])
            try connection.run("UPDATE totals SET items = items + 1")
        }
        for _ in 0..<200 { try database.write(addItem) }
        let stop = Atomic<Bool>(false)
        let writes = Atomic<Int>(0)
        let writers = onThread {
            onThreads(4) { _ in
                while !stop.load(ordering: .relaxed) {
                    if (try? database.write(addItem)) != nil { writes.add(1, ordering: .relaxed) }
                }
            }
        }
        #expect(eventually { writes.load(ordering: .relaxed) >= 20 })
        let destination = directory.file("backups/live-copy.db")
        try database.backup(to: destination)
        let writesDuringBackup = writes.load(ordering: .relaxed)
        stop.store(true, ordering: .relaxed)
        writers.wait()
        #expect(writesDuringBackup >= 20)

        let copy = try Database(path: destination, readers: 1)
        defer { copy.close() }
        let (integrity, items, total) = try copy.read { connection in
            (try connection.queryOne("PRAGMA integrity_check")?[index: 0],
             try connection.queryOne("SELECT count(*) AS n FROM items")?.get("n", as: Int.self),
             try connection.queryOne("SELECT items FROM totals")?.get("items", as: Int.self))
        }
        #expect(integrity == "ok")
        #expect(items == total)
        #expect((items ?? 0) >= 200)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.file("backups"))
            .filter { $0.contains(".partial-") }
        #expect(leftovers.isEmpty)
    }

    @Test func aBackupNeverReplacesAnExistingFile() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("source.db"))
        defer { database.close() }
        try database.write { try $0.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1);") }
        let destination = directory.file("taken.db")
        try "precious".write(toFile: destination, atomically: true, encoding: .utf8)
        let error = #expect(throws: DatabaseError.self) { try database.backup(to: destination) }
        #expect(String(describing: error).contains("already exists"))
        #expect(try String(contentsOfFile: destination, encoding: .utf8) == "precious")
        // A fresh name works, and a second backup to it is refused the same way.
        let fresh = directory.file("fresh.db")
        try database.backup(to: fresh)
        #expect(throws: DatabaseError.self) { try database.backup(to: fresh) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".partial-") }.isEmpty)
    }
}
