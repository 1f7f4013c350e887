import Foundation
import Logging
import HTTPServer
import Sentinel
import Storage
import Synchronization

/// Polls each connection's incidents modified since its cursor (less an overlap, since the
/// filter is `ge` and Sentinel's index lags), following every nextLink, and applies each in one
/// write job with the new cursor: the cursor moves only when the whole chain was read and applied.
/// Listing runs on a sender thread; each connection is polled every `interval` (plus jitter).
final class SentinelPollStep: EngineStep {
    static let defaultInterval: TimeInterval = 60
    static let overlap: TimeInterval = 120
    /// How far back the first poll of a connection looks.
    static let firstLookBack: TimeInterval = 24 * 3600

    let name = "sentinel-poll"
    private let database: Database
    private let connections: any SentinelSyncConnections
    private let time: any TimeSource
    private let logger: Logger
    private let interval: TimeInterval
    private let jitter: @Sendable () -> Double
    private let wake: @Sendable () -> Void
    private let pool: SenderPool
    /// New alerts' first pages (claimed in the poll's commit, sent after it).
    private let firstPages: FirstPages?
    /// Per connection: when it is next due, and whether a poll is running.
    private let schedule = Mutex<(due: [String: Date], running: Set<String>)>(([:], []))

    /// `jitter`: a fraction in 0...1 of a tenth of the interval added to each wait.
    init(database: Database, connections: any SentinelSyncConnections, time: any TimeSource, logger: Logger,
         interval: TimeInterval = defaultInterval, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
         firstPages: FirstPages? = nil, wake: @escaping @Sendable () -> Void) {
        self.database = database
        self.connections = connections
        self.time = time
        self.logger = logger
        self.interval = interval
        self.jitter = jitter
        self.wake = wake
        self.firstPages = firstPages
        pool = SenderPool(threads: 1, name: "watchkeeper.sentinel-poll")
    }

    func run(at now: Date) throws -> Date? {
        let ids = try connections.connectionIds()
        var next: Date?
        for id in ids {
            let start = schedule.withLock { state -> Bool in
                guard !state.running.contains(id) else { return false }
                let due = state.due[id] ?? now
                guard due <= now else { return false }
                state.running.insert(id)
                return true
            }
            if start, !pool.submit({ [self] in poll(id) }) {
                schedule.withLock { _ = $0.running.remove(id) }
            }
            if let due = schedule.withLock({ $0.running.contains(id) ? nil : $0.due[id] }) { next = min(next ?? due, due) }
        }
        return next
    }

    /// Polls every connection now (its next poll is rescheduled as usual); for tests and a manual refresh.
    func pollAllNow() throws {
        for id in try connections.connectionIds() { poll(id) }
    }

    @discardableResult
    func waitUntilIdle(timeout: TimeInterval = 10) -> Bool { pool.waitUntilIdle(timeout: timeout) }

    func stop() { pool.stop() }

    private func poll(_ connectionId: String) {
        let started = time.now()
        var retryAt: Date?
        do {
            guard let transport = try connections.transport(forConnection: connectionId) else { return finish(connectionId, retryAt: nil) }
            let cursor = try database.read { db in try ConnectionStore.pollCursor(connectionId, db: db) }
            let since = cursor.map { $0.addingTimeInterval(-Self.overlap) } ?? started.addingTimeInterval(-Self.firstLookBack)
            switch transport.listIncidents(modifiedSince: since) {
            case .success(let incidents):
                let ordered = incidents.sorted { ($0.lastModified ?? .distantPast) < ($1.lastModified ?? .distantPast) }
                let newCursor = ordered.compactMap(\.lastModified).max().map { max($0, cursor ?? $0) }
                let now = time.now()
                // An incident the webhook's parser refuses is skipped (and logged), not allowed to hold the cursor back forever.
                let parsed = ordered.compactMap { incident -> SentinelIncident? in
                    do { return try incident.parsed() } catch {
                        logger.warning("sentinel-poll: connection \(connectionId): incident \(incident.armId) skipped: \(error)")
                        return nil
                    }
                }
                let tenantId = transport.tenantId
                let firstPages = self.firstPages
                let pages = try database.write { db in
                    var pages: [ClaimedMessage] = []
                    let connection = try SentinelConnectionFacts.load(id: connectionId, tenantId: tenantId, db: db)
                    for incident in parsed {
                        let context = try Self.context(for: incident, connection: connection, db: db)
                        pages += try SentinelState.apply(incident, source: .poll, context: context, at: now, firstPages: firstPages, db: db).firstPages
                    }
                    try ConnectionStore.recordPoll(connectionId, cursor: newCursor.map(RFC3339.format), at: now, db: db)
                    return pages
                }
                firstPages?.send(pages)
            case .throttled(let seconds):
                let now = time.now()
                let until = now.addingTimeInterval(seconds)
                retryAt = until
                try database.write { db in
                    try ConnectionStore.recordThrottled(connectionId, until: until, db: db)
                    try ConnectionStore.recordError(connectionId, "throttled (429); waiting \(Int(seconds)) s", at: now, db: db)
                }
            case .conflict:
                try record(connectionId, error: "listing answered 409")
            case .temporary(let reason), .permanent(let reason):
                try record(connectionId, error: reason)
            }
        } catch {
            logger.error("sentinel-poll: connection \(connectionId): \(error)")
            try? record(connectionId, error: "\(error)")
        }
        finish(connectionId, retryAt: retryAt)
    }

    /// An incident already held keeps its key's routing and service; a new one goes through the
    /// connection's default integration key, or without one is recorded with no alert.
    static func context(for incident: SentinelIncident, connection: SentinelConnectionFacts, db: Connection) throws -> SentinelState.Context {
        let actor = "poll of connection \(connection.customer ?? connection.id)"
        if let held = try SentinelIncidentStore.fetch(incidentKey: incident.incidentKey, db: db), held.serviceId != nil {
            return try SentinelState.context(held: held, actor: actor, connection: connection, db: db)
        }
        if let keyId = connection.integrationKeyId, let context = try SentinelState.context(integrationKeyId: keyId, actor: actor, connection: connection, db: db) {
            return context
        }
        return SentinelState.Context(service: nil, integrationKeyId: nil, actor: actor, connectionId: connection.id, customer: connection.customer,
                                     tenantId: connection.tenantId)
    }

    private func record(_ connectionId: String, error: String) throws {
        logger.warning("sentinel-poll: connection \(connectionId): \(error)")
        let now = time.now()
        try database.write { db in try ConnectionStore.recordError(connectionId, error, at: now, db: db) }
    }

    private func finish(_ connectionId: String, retryAt: Date?) {
        let regular = time.now().addingTimeInterval(interval + interval / 10 * jitter())
        schedule.withLock { state in
            state.running.remove(connectionId)
            state.due[connectionId] = max(regular, retryAt ?? regular)
        }
        wake()
    }
}
