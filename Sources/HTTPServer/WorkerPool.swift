import Dispatch
import Foundation
import Synchronization

/// Threads for handlers that may block. `minimum` threads stay alive; when every thread is busy
/// a new one starts, up to `maximum`; threads above the minimum exit after idling a while.
final class WorkerPool: Sendable {
    typealias Job = @Sendable () -> Void

    private struct State {
        var jobs: [Job] = []
        var head = 0
        var threads = 0
        var idle = 0
        var stopping = false

        var pending: Int { jobs.count - head }

        mutating func popJob() -> Job? {
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }

    private enum Next {
        case run(Job)
        case wait
        case exit
    }

    private let state = Mutex(State())
    private let wakeups = DispatchSemaphore(value: 0)
    private let minimum: Int
    private let maximum: Int
    private let idleTimeout: DispatchTimeInterval
    private let name: String

    init(minimum: Int, maximum: Int, idleTimeout: DispatchTimeInterval = .seconds(10), name: String = "wk-worker") {
        self.minimum = max(1, minimum)
        self.maximum = max(self.minimum, maximum)
        self.idleTimeout = idleTimeout
        self.name = name
        state.withLock { $0.threads = self.minimum }
        for _ in 0..<self.minimum { spawn() }
    }

    var threadCount: Int { state.withLock { $0.threads } }

    /// Queues `job`; starts a thread when no idle one can take it. Dropped after `shutdown()`.
    func submit(_ job: @escaping Job) {
        let grow = state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.jobs.append(job)
            guard state.pending > state.idle, state.threads < maximum else { return false }
            state.threads += 1
            return true
        }
        if grow { spawn() }
        wakeups.signal()
    }

    /// Lets the threads finish their queued jobs and exit; does not wait for them.
    func shutdown() {
        let threads = state.withLock { state -> Int in
            state.stopping = true
            return state.threads
        }
        for _ in 0..<threads { wakeups.signal() }
    }

    private func spawn() {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    private func run() {
        var timedOut = false
        while true {
            let next = state.withLock { state -> Next in
                if let job = state.popJob() { return .run(job) }
                if state.stopping || (timedOut && state.threads > minimum) {
                    state.threads -= 1
                    return .exit
                }
                state.idle += 1
                return .wait
            }
            switch next {
            case .run(let job):
                job()
                timedOut = false
            case .exit:
                return
            case .wait:
                timedOut = wakeups.wait(timeout: .now() + idleTimeout) == .timedOut
                state.withLock { $0.idle -= 1 }
            }
        }
    }
}
