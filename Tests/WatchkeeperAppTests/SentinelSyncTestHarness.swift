import Foundation
import Logging
import Storage
@testable import WatchkeeperApp

/// The real Application on a SQLite file with its Sentinel connections pointed at in-memory
/// workspaces. The engine is not started: tests run the sync and poll steps themselves, at the
/// ManualTimeSource's instants, so every interleaving is reproducible. `restart()` shuts the
/// Application down and opens a new one on the same file.
final class SentinelSyncTestHarness: @unchecked Sendable {
    struct Connections: SentinelSyncConnections {
        var workspaces: [String: SentinelSyncTestWorkspace]
        func connectionIds() throws -> [String] { workspaces.keys.sorted() }
        func transport(forConnection id: String) throws -> (any SentinelSyncTransport)? { workspaces[id] }
    }

    let directory: URL
    let time: ManualTimeSource
    let workspaces: [String: SentinelSyncTestWorkspace]
    private(set) var application: Application
    static let serviceId = "svc_sentinel"

    init(workspaces: [String: SentinelSyncTestWorkspace], time: ManualTimeSource) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wk-sentinel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.time = time
        self.workspaces = workspaces
        application = try Self.open(directory: directory, time: time, workspaces: workspaces)
        try application.database.write { db in
            try db.run("INSERT INTO services (id, version, created_at, updated_at, body) VALUES (?, 1, 0, 0, ?)",
                       [.text(Self.serviceId), .text(#"{"id":"svc_sentinel","name":"SOC","description":"","escalationPolicyId":null,"urgency":"high","maintenanceUntil":null}"#)])
            // A connection row per workspace (customer = its id), where the poller keeps its state;
            // its secret is never unsealed, because the transports are the in-memory workspaces.
            for (id, workspace) in workspaces {
                try db.run("""
                    INSERT INTO connections (id, customer, tenant_id, client_id, client_secret_sealed, subscription_id, resource_group,
                                             workspace_name, workspace_id, created_at, updated_at)
                    VALUES (?, ?, ?, 'harness-client', x'00', ?, 'harness-rg', ?, ?, 0, 0)
                    """, [.text(id), .text(id), .text(workspace.tenantId), .text("harness-sub-\(id)"), .text("harness-law-\(id)"), .text("harness-ws-\(id)")])
            }
        }
    }

    private static func open(directory: URL, time: ManualTimeSource, workspaces: [String: SentinelSyncTestWorkspace]) throws -> Application {
        var configuration = Configuration()
        configuration.listenPort = 0
        configuration.databasePath = directory.appendingPathComponent("test.db").path
        configuration.publicDirectory = directory.path
        var logger = Logger(label: "sentinel-test")
        logger.logLevel = .critical
        let application = try Application(configuration: configuration, logger: logger, time: time)
        application.sentinelConnections.provider = Connections(workspaces: workspaces)
        return application
    }

    func restart() throws {
        application.shutdown()
        application = try Self.open(directory: directory, time: time, workspaces: workspaces)
    }

    deinit {
        application.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    var store: AlertStore { AlertStore(database: application.database, time: time) }

    func addUser(_ id: String, name: String, identities: [(tenant: String, objectId: String)]) throws {
        try application.database.write { db in
            try db.run("INSERT INTO users (id, version, created_at, updated_at, email, body) VALUES (?, 1, 0, 0, ?, ?)",
                       [.text(id), .text("\(id)@example.com"),
                        .text(#"{"id":"\#(id)","name":"\#(name)","email":"\#(id)@example.com","timeZone":"UTC","role":"responder"}"#)])
            for identity in identities {
                try db.run("INSERT INTO user_identities (user_id, tenant_id, object_id) VALUES (?, ?, ?)",
                           [.text(id), .text(identity.tenant), .text(identity.objectId)])
            }
        }
    }

    /// An alert for the incident, linked through `connectionId` (as the webhook or poller would).
    func linkAlert(toIncident armId: String, connectionId: String) throws -> String {
        let workspace = workspaces[connectionId]!
        let incident = workspace.snapshot(armId)!
        let alertId = "alt_\(UUID().uuidString.prefix(8))"
        let now = time.now()
        try application.database.write { db in
            try db.run("""
                INSERT INTO alerts (id, service_id, dedup_key, summary, details, links, severity, urgency, status, created_at, last_event_at, event_count)
                VALUES (?, ?, ?, ?, '{}', '[]', ?, 'high', 'triggered', ?, ?, 1)
                """, [.text(alertId), .text(Self.serviceId), .text(incident.key), .text(incident.string("title") ?? ""),
                      .text(incident.severity ?? "Medium"), SQLValue(now), SQLValue(now)])
            try SentinelIncidentStore.save(try incident.parsed(), alertId: alertId, serviceId: Self.serviceId, integrationKeyId: nil,
                                           connectionId: connectionId, tenantId: workspace.tenantId, at: now, db: db)
        }
        return alertId
    }

    /// Runs the write-back until nothing is due, moving the clock to each next attempt (at most
    /// `rounds` times); returns whether the queue emptied.
    @discardableResult
    func settleWrites(rounds: Int = 60) throws -> Bool { try Self.settleWrites(application, time: time, rounds: rounds) }

    /// The same for any Application whose sync step the test drives (the loopback tests' too).
    static func settleWrites(_ application: Application, time: ManualTimeSource, rounds: Int = 60) throws -> Bool {
        for _ in 0..<rounds {
            let next = try application.sentinelSync.run(at: time.now())
            application.sentinelSync.waitUntilIdle()
            let unfinished = try application.database.read { db in
                try db.queryOne("SELECT COUNT(*) AS n FROM sentinel_writes WHERE state IN ('queued', 'sending')")!.get("n", as: Int.self)
            }
            if unfinished == 0 { return true }
            let due = try application.database.read { db in try SentinelWriteQueue.nextDue(db: db) } ?? next
            if let due, due > time.now() { time.set(due) }
        }
        return false
    }

    func poll() throws { try application.sentinelPoll.pollAllNow() }

    func alert(_ id: String) throws -> Alert { try store.get(id) }

    /// What `sentinel_incidents` holds of the incident.
    func known(_ armId: String) throws -> SentinelIncidentStore.Record? {
        try application.database.read { db in try SentinelIncidentStore.fetch(incidentKey: armId, db: db) }
    }

    func timeline(_ alertId: String) throws -> [String] {
        try application.database.read { db in
            try db.query("SELECT message FROM alert_timeline WHERE alert_id = ? ORDER BY id", [.text(alertId)]).map { try $0.get("message", as: String.self) }
        }
    }

    func writes(state: String) throws -> Int {
        try application.database.read { db in
            try db.queryOne("SELECT COUNT(*) AS n FROM sentinel_writes WHERE state = ?", [.text(state)])!.get("n", as: Int.self)
        }
    }
}
