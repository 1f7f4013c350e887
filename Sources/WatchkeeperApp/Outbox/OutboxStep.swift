import Foundation
import Gateways
import Logging
import Paging
import Storage
import Synchronization

/// The outbox sender, one step of the paging engine. Each pass claims the due messages in one
/// commit (throttled and bundled per contact method) and hands them to a small pool of sender
/// threads; each answer is recorded in its own commit, then the engine is woken for what follows
/// (the next attempt, the next contact method). See docs/OUTBOX.md.
final class OutboxStep: EngineStep {
    static let senderThreads = 4

    let name = "outbox"
    private let database: Database
    private let routing: OutboxRouting
    private let publicURL: String
    private let time: any TimeSource
    private let logger: Logger
    private let throttle: Throttle
    private let wake: @Sendable () -> Void
    private let pool: SenderPool
    /// Whether messages left 'sending' by the previous process have been put back in the queue.
    private let recovered = Mutex(false)

    init(database: Database, routing: OutboxRouting, publicURL: String, time: any TimeSource, logger: Logger,
         throttle: Throttle = .standard, wake: @escaping @Sendable () -> Void) {
        self.database = database
        self.routing = routing
        self.publicURL = publicURL
        self.time = time
        self.logger = logger
        self.throttle = throttle
        self.wake = wake
        pool = SenderPool(threads: Self.senderThreads, name: "watchkeeper.outbox")
    }

    func run(at now: Date) throws -> Date? {
        // Passes never overlap (the engine serializes them), so the flag needs no more care.
        let recover = !recovered.withLock { $0 }
        // Most passes have nothing to send (the engine runs for escalations too): decide that with
        // a read, and take the single writer only when there is work.
        if !recover {
            let (due, next) = try database.read { db in
                (try OutboxClaim.hasDueMessages(at: now, db: db), try OutboxClaim.nextAttempt(after: now, db: db))
            }
            if !due { return next }
        }
        let (throttle, publicURL) = (self.throttle, self.publicURL)
        let result = try database.write { db -> (Int, OutboxClaim.Result) in
            let interrupted = recover ? try OutboxClaim.recoverInterrupted(at: now, db: db) : 0
            return (interrupted, try OutboxClaim.claim(at: now, throttle: throttle, publicURL: publicURL, db: db))
        }
        if recover {
            recovered.withLock { $0 = true }
            if result.0 > 0 { logger.warning("outbox: \(result.0) message(s) were being sent when the server stopped; sending them again") }
        }
        dispatch(result.1.claimed)
        return result.1.next
    }

    /// Claims the due pages of one alert inside the caller's write job (the ingest that creates
    /// it); `dispatch` them once that job has committed.
    func claimPages(ofAlert alertId: String, at now: Date, db: Connection) throws -> [ClaimedMessage] {
        try OutboxClaim.claim(at: now, throttle: throttle, publicURL: publicURL, alertId: alertId, db: db).claimed
    }

    /// Hands committed claims to the sender threads.
    func dispatch(_ claimed: [ClaimedMessage]) {
        for message in claimed {
            if !pool.submit({ [self] in deliver(message) }) {
                // Shutting down: the message stays 'sending' and the next start sends it.
                logger.warning("outbox stopping; message \(message.message.id) is left for the next start")
            }
        }
    }

    /// Waits until every message handed to a provider has its answer recorded; for tests.
    @discardableResult
    func waitUntilIdle(timeout: TimeInterval = 10) -> Bool {
        pool.waitUntilIdle(timeout: timeout)
    }

    /// Lets the sends in flight finish and be recorded; call after the engine has stopped and
    /// before the database closes.
    func stop() {
        pool.stop()
    }

    private func deliver(_ claimed: ClaimedMessage) {
        let message = claimed.message
        let route = routing.route(for: message.type, address: message.address)
        // The index stays within the route even if the file changed since the message was queued.
        let provider = route.isEmpty ? nil : route[min(claimed.gatewayIndex, route.count - 1)]
        let result = provider?.send(message) ?? .permanentFailure(reason: "no gateway sends \(message.type.rawValue)")
        let now = time.now()
        do {
            try database.write { db in
                try OutboxRecord.record(claimed, result: result, provider: provider?.name, gateways: route.count, at: now, db: db)
            }
        } catch {
            // Left 'sending': the next start sends it again (the documented crash window).
            logger.error("outbox: cannot record the answer for message \(message.id): \(error)")
        }
        switch result {
        case .accepted: break
        case .temporaryFailure(let reason, _), .permanentFailure(let reason), .gatewayFailure(let reason):
            logger.warning("outbox: \(message.kind.rawValue) message \(message.id) to \(message.type.rawValue) failed (attempt \(claimed.attempts)): \(reason)")
        }
        wake()
    }
}
