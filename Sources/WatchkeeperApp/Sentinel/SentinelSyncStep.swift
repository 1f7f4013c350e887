import Foundation
import Logging
import Storage
import Synchronization

/// Sends the queued writes to Sentinel, one step of the paging engine. A pass claims, per incident,
/// the oldest due write and the queued ones after it (one commit) and hands each batch to a sender
/// thread; each result is recorded in its own commit and the engine is woken. An incident never
/// has two batches in flight: its writes are 'sending' until the result is recorded.
final class SentinelSyncStep: EngineStep {
    static let senderThreads = 2

    let name = "sentinel-sync"
    private let database: Database
    private let connections: any SentinelSyncConnections
    private let time: any TimeSource
    private let logger: Logger
    private let wake: @Sendable () -> Void
    private let pool: SenderPool
    private let recovered = Mutex(false)
    /// Used when a resolve names no classification.
    private let defaultClassification: SentinelWriteClassification

    init(database: Database, connections: any SentinelSyncConnections, time: any TimeSource, logger: Logger,
         defaultClassification: SentinelWriteClassification = .standardDefault, wake: @escaping @Sendable () -> Void) {
        self.defaultClassification = defaultClassification
        self.database = database
        self.connections = connections
        self.time = time
        self.logger = logger
        self.wake = wake
        pool = SenderPool(threads: Self.senderThreads, name: "watchkeeper.sentinel-sync")
    }

    func run(at now: Date) throws -> Date? {
        let recover = !recovered.withLock { $0 }
        if !recover {
            let due = try database.read { db in try SentinelWriteQueue.nextDue(db: db) }
            guard let due, due <= now else { return due }
        }
        let (interrupted, claimed) = try database.write { db in
            (recover ? try SentinelWriteQueue.recoverInterrupted(at: now, db: db) : 0, try SentinelWriteQueue.claim(at: now, db: db))
        }
        if recover {
            recovered.withLock { $0 = true }
            if interrupted > 0 { logger.warning("sentinel-sync: \(interrupted) write(s) were being sent when the server stopped; sending them again") }
        }
        for batch in claimed.batches where !pool.submit({ [self] in send(batch) }) {
            logger.warning("sentinel-sync stopping; writes of \(batch.incidentKey) are left for the next start")
        }
        return claimed.next
    }

    /// Waits until every batch handed to a sender has its result recorded; for tests.
    @discardableResult
    func waitUntilIdle(timeout: TimeInterval = 10) -> Bool { pool.waitUntilIdle(timeout: timeout) }

    func stop() { pool.stop() }

    private func send(_ batch: SentinelWriteQueue.Batch) {
        let outcome: (SentinelSyncAttempt.Result, ownEtags: [String])
        do {
            if let transport = try connections.transport(forConnection: batch.connectionId) {
                outcome = SentinelSyncAttempt.perform(batch, transport: transport, defaultClassification: defaultClassification)
            } else {
                outcome = (.failed("connection \(batch.connectionId) no longer exists"), [])
            }
        } catch {
            outcome = (.retry("cannot open connection \(batch.connectionId): \(error)", retryAfter: nil), [])
        }
        let now = time.now()
        do {
            try database.write { db in
                for etag in outcome.ownEtags { try SentinelIncidentStore.recordOwnEtag(incidentKey: batch.incidentKey, etag: etag, db: db) }
                switch outcome.0 {
                case .sent(let sent):
                    try SentinelWriteQueue.recordSent(batch, result: sent, at: now, db: db)
                case .retry(let error, let retryAfter):
                    let delay = RetryBackoff.delay(afterAttempt: batch.attempts, retryAfter: retryAfter)
                    try SentinelWriteQueue.recordRetry(batch, error: error, retryAt: now.addingTimeInterval(retryAfter ?? delay), at: now, db: db)
                    if let retryAfter {
                        try ConnectionStore.recordThrottled(batch.connectionId, until: now.addingTimeInterval(retryAfter), db: db)
                    }
                case .failed(let error):
                    try SentinelWriteQueue.recordFailure(batch, error: error, at: now, db: db)
                }
            }
        } catch {
            // Left 'sending': the next start sends it again.
            logger.error("sentinel-sync: cannot record the result for \(batch.incidentKey): \(error)")
        }
        if case .retry(let error, _) = outcome.0 { logger.warning("sentinel-sync: write to \(batch.incidentKey) will be retried: \(error)") }
        if case .failed(let error) = outcome.0 { logger.error("sentinel-sync: write to \(batch.incidentKey) failed: \(error)") }
        wake()
    }
}
