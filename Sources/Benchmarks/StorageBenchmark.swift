import Dispatch
import Foundation
import Storage
import Synchronization

/// Write throughput of `Storage.Database` with `synchronous=FULL` (every commit waits for the
/// disk flush), in a temporary database on the same file system as `NSTemporaryDirectory()`.
func storageBenchmarks() throws -> [BenchmarkFigure] {
    let directory = NSTemporaryDirectory() + "watchkeeper-storage-bench-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let commits = Mutex<(count: Int, jobs: Int, seconds: Double)>((0, 0, 0))
    let database = try Database(path: directory + "/bench.db", writeObserver: { seconds, jobs in
        commits.withLock { $0 = ($0.count + 1, $0.jobs + jobs, $0.seconds + seconds) }
    })
    defer { database.close() }
    try database.write { connection in
        try connection.execute("CREATE TABLE bench (id INTEGER PRIMARY KEY, worker INTEGER NOT NULL, body TEXT NOT NULL)")
    }
    let body = String(repeating: "x", count: 200)
    let insert: @Sendable (Int) -> @Sendable (Connection) throws -> Void = { worker in
        { connection in
            try connection.run("INSERT INTO bench (worker, body) VALUES (?, ?)", [.integer(Int64(worker)), .text(body)])
        }
    }

    // One caller: every job waits for its own commit, so this is the commit rate of the disk.
    let sequentialJobs = 2_000
    commits.withLock { $0 = (0, 0, 0) }
    let sequentialStart = ContinuousClock.now
    for _ in 0..<sequentialJobs {
        try database.write(insert(-1))
    }
    let sequentialSeconds = seconds(ContinuousClock.now - sequentialStart)
    let sequentialCommits = commits.withLock { $0 }

    // Many callers: jobs that arrive during a commit share the next one.
    let threads = 32, jobsPerThread = 250
    commits.withLock { $0 = (0, 0, 0) }
    let failures = Atomic<Int>(0)
    let group = DispatchGroup()
    let concurrentStart = ContinuousClock.now
    for worker in 0..<threads {
        group.enter()
        Thread {
            for _ in 0..<jobsPerThread {
                if (try? database.write(insert(worker))) == nil { failures.add(1, ordering: .relaxed) }
            }
            group.leave()
        }.start()
    }
    group.wait()
    let concurrentSeconds = seconds(ContinuousClock.now - concurrentStart)
    let concurrentCommits = commits.withLock { $0 }
    guard failures.load(ordering: .relaxed) == 0 else {
        throw BenchmarkFailure(message: "\(failures.load(ordering: .relaxed)) concurrent writes failed")
    }
    let concurrentJobs = threads * jobsPerThread

    return [
        BenchmarkFigure(name: "storage: sequential single-row writes (synchronous=FULL)",
                        value: Double(sequentialJobs) / sequentialSeconds, unit: "commits/s"),
        BenchmarkFigure(name: "storage: sequential mean commit time",
                        value: sequentialCommits.seconds / Double(max(1, sequentialCommits.count)) * 1_000, unit: "ms"),
        BenchmarkFigure(name: "storage: concurrent single-row writes, \(threads) threads × \(jobsPerThread)",
                        value: Double(concurrentJobs) / concurrentSeconds, unit: "jobs/s",
                        goal: "well above the sequential commits/s (group commit)"),
        BenchmarkFigure(name: "storage: concurrent mean jobs per commit",
                        value: Double(concurrentCommits.jobs) / Double(max(1, concurrentCommits.count)), unit: "jobs",
                        goal: "> 1"),
        BenchmarkFigure(name: "storage: concurrent mean commit time",
                        value: concurrentCommits.seconds / Double(max(1, concurrentCommits.count)) * 1_000, unit: "ms"),
    ]
}

private struct BenchmarkFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
