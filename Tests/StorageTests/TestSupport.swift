import Dispatch
import Foundation
import Storage
import Synchronization

/// A fresh directory under the system temporary directory, removed when released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "watchkeeper-storage-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String {
        path + "/" + name
    }
}

/// Runs `body(index)` on `count` new threads at once and waits for all of them.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

/// Starts `body` on a new thread; the returned group is left when it ends.
@discardableResult
func onThread(_ body: @escaping @Sendable () -> Void) -> DispatchGroup {
    let group = DispatchGroup()
    group.enter()
    Thread {
        body()
        group.leave()
    }.start()
    return group
}

/// Polls `condition` until it holds or `timeout` seconds pass; returns whether it held.
func eventually(timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(1_000)
    }
    return try condition()
}

/// Records every commit the write observer reports.
final class CommitLog: Sendable {
    private let commits = Mutex<[Int]>([])

    var observer: @Sendable (Double, Int) -> Void {
        { [self] _, jobs in commits.withLock { $0.append(jobs) } }
    }

    var jobsPerCommit: [Int] { commits.withLock { $0 } }
}

/// Holds the writer thread inside a job until `release`, so that the jobs submitted meanwhile
/// queue up and are committed together in the next batch.
final class WriterGate: Sendable {
    private let entered = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    private let done: DispatchGroup

    init(database: Database) {
        let entered = self.entered, released = self.released
        done = onThread {
            _ = try? database.write { _ in
                entered.signal()
                released.wait()
            }
        }
        entered.wait()
    }

    func release() {
        released.signal()
        done.wait()
    }
}

/// Values collected from several threads.
final class Collected<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}
