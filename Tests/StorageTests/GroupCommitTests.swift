import Foundation
import Storage
import Testing

@Suite struct GroupCommitTests {
    private func makeDatabase(_ directory: TemporaryDirectory, log: CommitLog) throws -> Database {
        let database = try Database(path: directory.file("group.db"), writeObserver: log.observer)
        try database.write { connection in
            try connection.execute("""
                CREATE TABLE events (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL UNIQUE);
                CREATE TABLE parents (id INTEGER PRIMARY KEY);
                CREATE TABLE children (id INTEGER PRIMARY KEY,
                    parent_id INTEGER REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED);
                """)
        }
        return database
    }

    private func count(_ database: Database, _ table: String) throws -> Int? {
        try database.read { try $0.queryOne("SELECT count(*) AS n FROM \(table)")?.get("n", as: Int.self) }
    }

    @Test func sixtyFourConcurrentWritersAreAllCommitted() throws {
        let directory = try TemporaryDirectory()
        let log = CommitLog()
        let database = try makeDatabase(directory, log: log)
        defer { database.close() }
        let rowIDs = Collected<Int64>()
        let errors = Collected<String>()
        onThreads(64) { index in
            do {
                rowIDs.append(try database.write { connection in
                    try connection.run("INSERT INTO events (writer) VALUES (?)", [.integer(Int64(index))])
                    return connection.lastInsertRowID
                })
            } catch {
                errors.append("\(error)")
            }
        }
        #expect(errors.all.isEmpty)
        #expect(Set(rowIDs.all).count == 64)
        #expect(try count(database, "events") == 64)
        // The schema job plus 64 jobs, each reported in exactly one commit.
        #expect(log.jobsPerCommit.reduce(0, +) == 65)
    }

    @Test func jobsArrivingDuringACommitShareTheNextOne() throws {
        let directory = try TemporaryDirectory()
        let log = CommitLog()
        let database = try makeDatabase(directory, log: log)
        defer { database.close() }
        let gate = WriterGate(database: database)
        let writers = onThread {
            onThreads(64) { index in
                _ = try? database.write { try $0.run("INSERT INTO events (writer) VALUES (?)", [.integer(Int64(index))]) }
            }
        }
        #expect(eventually { database.queuedWriteCount == 64 })
        gate.release()
        writers.wait()
        #expect(try count(database, "events") == 64)
        #expect(log.jobsPerCommit.contains(64))
        #expect(log.jobsPerCommit.max() ?? 0 > 1)
    }

    @Test func aFailingJobDoesNotAffectTheOthersInItsBatch() throws {
        let directory = try TemporaryDirectory()
        let log = CommitLog()
        let database = try makeDatabase(directory, log: log)
        defer { database.close() }
        struct Refused: Error {}
        try database.write { try $0.run("INSERT INTO events (writer) VALUES (100)") }
        let gate = WriterGate(database: database)
        let outcomes = Collected<String>()
        let writers = onThread {
            onThreads(4) { index in
                do {
                    try database.write { connection in
                        try connection.run("INSERT INTO events (writer) VALUES (?)", [.integer(Int64(index))])
                        switch index {
                        case 1: throw Refused()  // its own insert must vanish
                        case 3: try connection.run("INSERT INTO events (writer) VALUES (100)")  // already there
                        default: break
                        }
                    }
                    outcomes.append("\(index): ok")
                } catch is Refused {
                    outcomes.append("\(index): refused")
                } catch let error as SQLiteError where error.isUniqueViolation {
                    outcomes.append("\(index): unique")
                } catch {
                    outcomes.append("\(index): \(error)")
                }
            }
        }
        #expect(eventually { database.queuedWriteCount == 4 })
        gate.release()
        writers.wait()
        #expect(Set(outcomes.all) == ["0: ok", "1: refused", "2: ok", "3: unique"])
        #expect(log.jobsPerCommit.last == 4)
        let writersStored = try database.read {
            try $0.query("SELECT writer FROM events ORDER BY writer").map { try $0.get("writer", as: Int.self) }
        }
        #expect(writersStored == [0, 2, 100])
    }

    @Test func aFailedCommitFailsEveryJobOfTheBatch() throws {
        let directory = try TemporaryDirectory()
        let log = CommitLog()
        let database = try makeDatabase(directory, log: log)
        defer { database.close() }
        let gate = WriterGate(database: database)
        let outcomes = Collected<String>()
        let writers = onThread {
            onThreads(2) { index in
                do {
                    try database.write { connection in
                        // A deferred foreign key is checked only by COMMIT, which then fails for the batch.
                        try connection.run(index == 0 ? "INSERT INTO children (parent_id) VALUES (42)"
                                                      : "INSERT INTO parents (id) VALUES (7)")
                    }
                    outcomes.append("ok")
                } catch let error as SQLiteError where error.isForeignKeyViolation {
                    outcomes.append("foreign key")
                } catch {
                    outcomes.append("\(error)")
                }
            }
        }
        #expect(eventually { database.queuedWriteCount == 2 })
        gate.release()
        writers.wait()
        #expect(outcomes.all == ["foreign key", "foreign key"])
        #expect(try count(database, "parents") == 0)
        #expect(try count(database, "children") == 0)
        // The writer goes on after a failed commit.
        try database.write { try $0.run("INSERT INTO parents (id) VALUES (1)") }
        #expect(try count(database, "parents") == 1)
    }

    @Test func writeInsideAWriteJobThrowsInsteadOfDeadlocking() throws {
        let directory = try TemporaryDirectory()
        let database = try makeDatabase(directory, log: CommitLog())
        defer { database.close() }
        let error = #expect(throws: DatabaseError.self) {
            try database.write { connection in
                try connection.run("INSERT INTO events (writer) VALUES (1)")
                return try database.write { _ in 2 }
            }
        }
        #expect(String(describing: error).contains("from inside a write job"))
        #expect(try count(database, "events") == 0)
        // Reading from inside a write job is allowed: a reader sees the last committed state.
        let seen = try database.write { connection in
            try connection.run("INSERT INTO events (writer) VALUES (1)")
            return try database.read { try $0.queryOne("SELECT count(*) AS n FROM events")?.get("n", as: Int.self) }
        }
        #expect(seen == 0)
        #expect(try count(database, "events") == 1)
    }
}
