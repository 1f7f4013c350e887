import Dispatch
import Foundation
import Storage
import Synchronization
import Testing

@Suite struct ReaderPoolTests {
    @Test func readsRunConcurrentlyOnSeparateConnections() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("concurrent.db"), readers: 2)
        defer { database.close() }
        let inside = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
        let sawOther = Collected<Bool>()
        // Each read waits, inside its read, for the other to be inside too: only possible if both
        // hold a connection at once.
        onThreads(2) { index in
            let met = try? database.read { _ in
                inside[index].signal()
                return inside[1 - index].wait(timeout: .now() + 10) == .success
            }
            sawOther.append(met == true)
        }
        #expect(sawOther.all == [true, true])
    }

    @Test func aReadWaitsWhileEveryReaderIsBusy() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("busy.db"), readers: 1)
        defer { database.close() }
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let order = Collected<String>()
        let first = onThread {
            try? database.read { _ in
                entered.signal()
                release.wait()
                order.append("first done")
            }
        }
        entered.wait()
        let second = onThread {
            try? database.read { _ in order.append("second ran") }
        }
        #expect(second.wait(timeout: .now() + 0.3) == .timedOut)
        release.signal()
        first.wait()
        second.wait()
        #expect(order.all == ["first done", "second ran"])
    }

    @Test func readersAndTheWriterDoNotBlockEachOther() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("snapshot.db"), readers: 2)
        defer { database.close() }
        try database.write { try $0.execute("CREATE TABLE t (x)") }
        let counted = DispatchSemaphore(value: 0)
        let written = DispatchSemaphore(value: 0)
        let counts = Collected<Int>()
        let reader = onThread {
            _ = try? database.read { connection in
                counts.append(try connection.queryOne("SELECT count(*) AS n FROM t")?.get("n", as: Int.self) ?? -1)
                counted.signal()
                // The writer commits while this read transaction is open...
                _ = written.wait(timeout: .now() + 10)
                // ...and this read keeps its snapshot.
                counts.append(try connection.queryOne("SELECT count(*) AS n FROM t")?.get("n", as: Int.self) ?? -1)
            }
        }
        counted.wait()
        try database.write { try $0.run("INSERT INTO t VALUES (1)") }
        written.signal()
        reader.wait()
        #expect(counts.all == [0, 0])
        #expect(try database.read { try $0.queryOne("SELECT count(*) AS n FROM t")?.get("n", as: Int.self) } == 1)
    }

    @Test func aReadInsideAReadThrowsInsteadOfWaitingForItself() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("nested.db"), readers: 1)
        defer { database.close() }
        let error = #expect(throws: DatabaseError.self) {
            try database.read { _ in try database.read { _ in 1 } }
        }
        #expect(String(describing: error).contains("inside a read"))
        #expect(try database.read { _ in 2 } == 2)
    }
}
