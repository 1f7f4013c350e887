import Foundation

/// A few threads that run provider calls, so a slow provider blocks neither the engine thread
/// (escalations keep their timing) nor an event loop. Jobs run in the order given.
final class SenderPool: @unchecked Sendable {
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var running = 0
    private var stopping = false
    private var threads = 0
    private var started = false
    private let size: Int
    private let name: String

    /// Threads start with the first job, so a server that never sends holds none.
    init(threads size: Int, name: String) {
        self.size = size
        self.name = name
    }

    /// Queues a job; false (not queued) once the pool is stopping.
    @discardableResult
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        if !started {
            started = true
            threads = size
            for index in 0..<size {
                let thread = Thread { [self] in work() }
                thread.name = "\(name).\(index)"
                thread.start()
            }
        }
        jobs.append(job)
        condition.broadcast()
        return true
    }

    /// Waits until no job is queued or running; false on timeout.
    @discardableResult
    func waitUntilIdle(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !jobs.isEmpty || running > 0 {
            if !condition.wait(until: deadline) { return jobs.isEmpty && running == 0 }
        }
        return true
    }

    /// Runs every job already queued, then ends the threads. Idempotent.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while threads > 0 { condition.wait() }
        condition.unlock()
    }

    private func work() {
        condition.lock()
        while true {
            if let job = jobs.first {
                jobs.removeFirst()
                running += 1
                condition.unlock()
                job()
                condition.lock()
                running -= 1
                condition.broadcast()
            } else if stopping {
                break
            } else {
                condition.wait()
            }
        }
        threads -= 1
        condition.broadcast()
        condition.unlock()
    }
}
