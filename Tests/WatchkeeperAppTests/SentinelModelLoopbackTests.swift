import FakeAzure
import Foundation
import Logging
import OutboundHTTP
@testable import Sentinel
import Testing
@testable import WatchkeeperApp

/// Acceptance 3 through acceptance 1's path: the same random interleavings as SentinelModelTests
/// (and its Expectation), but the Application talks to the loopback FakeARM + Entra through its
/// stored connection, ConnectionStore's SentinelClient and libcurl, so every request is checked
/// against the incidents spec and every fault is a real HTTP answer. Fewer runs: real sockets,
/// and stalls that outlast the client's timeout. SENTINEL_MODEL_SEED replays a run.
@Suite struct SentinelModelLoopbackTests {
    static let secret = "fake-secret-value-0123456789"
    static let clientId = "0e4c6a8f-2b4d-4e6f-8a0c-2e4a6c8e0a41"
    static let ana = "aaaaaaaa-0000-4000-8000-00000000000a"
    /// Short, so a stalled request times out fast; the stall outlasts it.
    static let clientTimeout: TimeInterval = 0.5
    static let stall = 1.0

    /// The stored connections, with a short client timeout (the production provider uses 30 s).
    struct ShortTimeoutConnections: SentinelSyncConnections {
        let store: ConnectionStore
        func connectionIds() throws -> [String] { try store.connectionIds() }
        func transport(forConnection id: String) throws -> (any SentinelSyncTransport)? {
            guard try store.connectionIds().contains(id) else { return nil }
            return SentinelSyncClientTransport(client: try store.client(for: id, timeout: SentinelModelLoopbackTests.clientTimeout))
        }
    }

    enum Action: CaseIterable {
        case ack, resolve, note, severity, portalOwner, portalSeverity, portalClose, portalComment
        case conflict, throttle, serverError, timeout, restart, progress, poll
    }

    static func open(_ configuration: Configuration, time: ManualTimeSource) throws -> Application {
        var logger = Logger(label: "sentinel-model-lb")
        logger.logLevel = .critical
        let application = try Application(configuration: configuration, logger: logger, time: time)
        application.sentinelConnections.provider = ShortTimeoutConnections(store: application.connections)
        return application
    }

    static func string(_ value: Any?) -> String? { value as? String }

    /// The fake records a PUT without owner only when it drops one: on an unassigned incident
    /// (all owner fields null, as the app's write sends it) nothing is lost.
    @Test func theFakeCountsOnlyADroppedOwner() throws {
        let cloud = try FakeAzureCloud()
        defer { cloud.shutdown() }
        let workspace = FakeARM.Workspace(tenantId: "5b3c8f2e-9d41-4a7c-b6e2-1f0a9c3d7e54", subscriptionId: "3f1a6c2d-8b47-4e9a-a5d1-7c2e9b0f4a63",
                                          resourceGroup: "rg-soc", workspaceName: "law-owner")
        cloud.add(workspace, clientId: Self.clientId, clientSecret: Self.secret)
        cloud.arm.addUser(objectId: Self.ana, name: "Ana", email: "ana@contoso.com")
        let client = SentinelClient(workspace: ARMWorkspace(armURL: cloud.armURL, subscriptionId: workspace.subscriptionId,
                                                            resourceGroup: workspace.resourceGroup, workspaceName: workspace.workspaceName),
                                    credentials: ClientCredentials(authorityURL: cloud.authorityURL, tenantId: workspace.tenantId,
                                                                   clientId: Self.clientId, clientSecret: Self.secret, armURL: cloud.armURL),
                                    tokens: TokenCache(http: HTTPClient()), http: HTTPClient(), timeout: 5)
        func putWithoutOwner(_ name: String) throws {
            var body = IncidentPutBody.make(current: try client.getIncident(name).object, applying: IncidentWrite(severity: "Low"))
            var properties = body["properties"] as! [String: Any]
            properties["owner"] = nil
            body["properties"] = properties
            _ = try client.putIncident(name, body: body)
        }
        try putWithoutOwner(cloud.arm.seedIncident(in: workspace))
        #expect(cloud.arm.violations.isEmpty, "\(cloud.arm.violations)")
        try putWithoutOwner(cloud.arm.seedIncident(in: workspace, ownerObjectId: Self.ana))
        #expect(cloud.arm.violations.count == 1 && cloud.arm.violations[0].contains("no owner"), "\(cloud.arm.violations)")
    }

    @Test func randomInterleavingsOverLoopbackAzureAgree() throws {
        let seed = SentinelModelTests.seed(fixed: 20_261_123)
        print("SentinelModelLoopbackTests seed \(seed) (replay: SENTINEL_MODEL_SEED=\(seed))")
        var random = SentinelModelTests.Generator(state: seed)
        let runs = 60, maximumSteps = 10
        let severities = SentinelModelTests.severities
        var figures = (steps: 0, restarts: 0, conflicts: 0, throttles: 0, serverErrors: 0, timeouts: 0, portalCloses: 0)
        let started = Date()

        let cloud = try FakeAzureCloud()
        defer { cloud.shutdown() }
        let time = ManualTimeSource(Date(timeIntervalSince1970: 1_795_000_000))
        cloud.arm.setClock { time.now() }
        let workspace = FakeARM.Workspace(tenantId: "5b3c8f2e-9d41-4a7c-b6e2-1f0a9c3d7e54", subscriptionId: "3f1a6c2d-8b47-4e9a-a5d1-7c2e9b0f4a63",
                                          resourceGroup: "rg-soc", workspaceName: "law-model")
        cloud.add(workspace, clientId: Self.clientId, clientSecret: Self.secret)
        cloud.arm.addUser(objectId: Self.ana, name: "Ana", email: "ana@contoso.com")

        let (configuration, directory) = try loopbackAzureConfiguration("wk-sentinel-model-lb")
        defer { try? FileManager.default.removeItem(at: directory) }
        var application = try Self.open(configuration, time: time)
        defer { application.shutdown() }

        let connection = try application.connections.create(ConnectionInput(
            customer: "Contoso", tenantId: workspace.tenantId, clientId: Self.clientId, clientSecret: Self.secret,
            subscriptionId: workspace.subscriptionId, resourceGroup: workspace.resourceGroup, workspaceName: workspace.workspaceName,
            workspaceId: "e7d1c0b4-2a3f-4c5d-9e8f-1a2b3c4d5e6f", authorityURL: cloud.authorityURL, armURL: cloud.armURL))
        try application.database.write { db in
            try db.run("INSERT INTO services (id, version, created_at, updated_at, body) VALUES ('svc_soc', 1, 0, 0, ?)",
                       [.text(#"{"id":"svc_soc","name":"SOC","description":"","escalationPolicyId":null,"urgency":"high","maintenanceUntil":null}"#)])
            for user in ["usr_ana", "usr_bo"] {
                try db.run("INSERT INTO users (id, version, created_at, updated_at, email, body) VALUES (?, 1, 0, 0, ?, ?)",
                           [.text(user), .text("\(user)@example.com"),
                            .text(#"{"id":"\#(user)","name":"\#(user)","email":"\#(user)@example.com","timeZone":"UTC","role":"responder"}"#)])
            }
            // Bo has no object id in this tenant: his ack sets status only.
            try db.run("INSERT INTO user_identities (user_id, tenant_id, object_id) VALUES ('usr_ana', ?, ?)", [.text(workspace.tenantId), .text(Self.ana)])
        }

        for run in 0..<runs {
            let context = "seed \(seed) run \(run)"
            let firstSeverity = severities.randomElement(using: &random)!
            let name = cloud.arm.seedIncident(in: workspace, name: "inc-\(run)-\(seed % 100_000)", title: "Incident \(run)", severity: firstSeverity)
            let transport = try #require(try application.sentinelConnections.transport(forConnection: connection.id))
            guard case .success(let seeded) = transport.getIncident(armId: "\(workspace.incidentsPath)/\(name)") else {
                Issue.record("\(context): cannot read the seeded incident")
                return
            }
            let alertId = "alt_m\(run)"
            try application.database.write { db in
                try db.run("""
                    INSERT INTO alerts (id, service_id, dedup_key, summary, details, links, severity, urgency, status, created_at, last_event_at, event_count)
                    VALUES (?, 'svc_soc', ?, ?, '{}', '[]', ?, 'high', 'triggered', 0, 0, 1)
                    """, [.text(alertId), .text(seeded.key), .text("Incident \(run)"), .text(firstSeverity)])
                try SentinelIncidentStore.save(try seeded.parsed(), alertId: alertId, serviceId: "svc_soc", integrationKeyId: nil,
                                               connectionId: connection.id, tenantId: workspace.tenantId, at: time.now(), db: db)
            }
            let putsBefore = cloud.arm.requests(.putIncident)
            var expect = SentinelModelTests.Expectation()
            var faultsInjected = 0
            var log: [String] = []
            var usedSeverities: Set<String> = [firstSeverity]
            var closedInPortal = false

            let steps = Int.random(in: 1...maximumSteps, using: &random)
            for step in 0..<steps {
                figures.steps += 1
                let action = Action.allCases.randomElement(using: &random)!
                log.append("\(action)")
                let store = AlertStore(database: application.database, time: time)
                let alert = try store.get(alertId)
                switch action {
                case .ack where alert.status == .triggered:
                    let user = Bool.random(using: &random) ? "usr_ana" : "usr_bo"
                    _ = try store.change(alertId, to: .acknowledged, actor: user, method: "sms", actorUserId: user)
                    expect.acked = true
                    expect.ourChanges += 1
                    if user == "usr_ana" { (expect.ourOwner, expect.ourOwnerAt) = (Self.ana, step) }
                case .resolve where alert.status != .resolved:
                    let pair = Bool.random(using: &random) ? SentinelWriteClassification.valid.randomElement(using: &random) : nil
                    _ = try store.change(alertId, to: .resolved, actor: "Ana", method: "api", resolution: .init(classification: pair, comment: "run \(run)"))
                    expect.resolvedHere = true
                    expect.ourChanges += 1
                case .note:
                    _ = try store.addNote(alertId, text: "note \(run).\(step)", actor: "Ana", method: "api")
                case .severity:
                    let severity = severities.randomElement(using: &random)!
                    if alert.severity != severity {
                        usedSeverities.insert(severity)
                        _ = try store.changeSeverity(alertId, to: severity, actor: "Ana", method: "api")
                        (expect.ourSeverity, expect.ourSeverityAt) = (severity, step)
                        expect.ourChanges += 1
                    }
                // As in SentinelModelTests: the portal never goes back to a value it had ("ABA").
                case .portalOwner:
                    let owner = String(format: "dddddddd-0000-4000-8%03d-%012d", step, run)
                    cloud.arm.portalAssign(name, in: workspace, objectId: owner)
                    (expect.portalOwner, expect.portalOwnerAt, expect.portalChangeAt) = (owner, step, step)
                case .portalSeverity:
                    guard let severity = severities.filter({ !usedSeverities.contains($0) }).randomElement(using: &random) else {
                        log[log.count - 1] += " (skipped)"
                        break
                    }
                    usedSeverities.insert(severity)
                    cloud.arm.portalSetSeverity(name, in: workspace, severity)
                    (expect.portalSeverity, expect.portalSeverityAt, expect.portalChangeAt) = (severity, step, step)
                case .portalClose where !closedInPortal && Self.string(cloud.arm.properties(name, in: workspace)["status"]) != "Closed":
                    let pair = SentinelWriteClassification.valid.randomElement(using: &random)!
                    cloud.arm.portalClose(name, in: workspace, classification: pair.classification, reason: pair.reason, comment: "closed in the portal")
                    closedInPortal = true
                    expect.portalChangeAt = step
                    figures.portalCloses += 1
                case .portalComment:
                    cloud.arm.portalAddComment(name, in: workspace, message: "portal comment \(run).\(step)")
                case .conflict:
                    // A portal write raced our PUT: ARM answers 409 and we must re-read and re-apply.
                    cloud.arm.inject(.status(409), only: .putIncident)
                    expect.conflictInjected = true
                    faultsInjected += 1
                    figures.conflicts += 1
                case .throttle:
                    cloud.arm.inject(.throttle(retryAfter: Int.random(in: 1...120, using: &random)))
                    faultsInjected += 1
                    figures.throttles += 1
                case .serverError:
                    cloud.arm.inject(.status(Bool.random(using: &random) ? 500 : 503))
                    faultsInjected += 1
                    figures.serverErrors += 1
                case .timeout:
                    cloud.arm.inject(.stall(seconds: Self.stall))
                    faultsInjected += 1
                    figures.timeouts += 1
                case .restart:
                    application.shutdown()
                    application = try Self.open(configuration, time: time)
                    figures.restarts += 1
                case .progress:
                    _ = try application.sentinelSync.run(at: time.now())
                    application.sentinelSync.waitUntilIdle()
                case .poll:
                    try application.sentinelPoll.pollAllNow()
                default:
                    log[log.count - 1] += " (skipped)"
                }
                time.advance(by: TimeInterval(Int.random(in: 1...90, using: &random)))
            }

            // Settle: send everything, poll, repeat until quiet and every injected fault is used.
            for _ in 0..<6 {
                #expect(try SentinelSyncTestHarness.settleWrites(application, time: time), "\(context): writes did not settle; \(log)")
                time.advance(by: 121)
                try application.sentinelPoll.pollAllNow()
                if cloud.arm.pendingFaults == 0 { break }
            }
            // A 409 waits for a PUT that may never come (nothing of ours to send): dropped, not counted.
            faultsInjected -= cloud.arm.pendingFaults
            cloud.arm.clearFaults()
            #expect(try SentinelSyncTestHarness.settleWrites(application, time: time), "\(context): writes did not settle; \(log)")
            time.advance(by: 61)
            try application.sentinelPoll.pollAllNow()
            #expect(try SentinelSyncTestHarness.settleWrites(application, time: time), "\(context): writes did not settle; \(log)")
            let putsAfterSettle = cloud.arm.requests(.putIncident)
            let timelineCount = { try application.database.read { db in
                try db.queryOne("SELECT COUNT(*) AS n FROM alert_timeline WHERE alert_id = ?", [.text(alertId)])!.get("n", as: Int.self)
            } }
            let timelineAfterSettle = try timelineCount()
            // Quiet means quiet: more polls and passes send nothing and record nothing (no echo loop).
            for _ in 0..<2 {
                time.advance(by: 61)
                try application.sentinelPoll.pollAllNow()
                _ = try SentinelSyncTestHarness.settleWrites(application, time: time)
            }
            #expect(cloud.arm.requests(.putIncident) == putsAfterSettle, "\(context): echo loop; \(log)")
            #expect(try timelineCount() == timelineAfterSettle, "\(context): echo in the timeline; \(log)")

            let properties = cloud.arm.properties(name, in: workspace)
            let alert = try AlertStore(database: application.database, time: time).get(alertId)
            let known = try #require(try application.database.read { db in try SentinelIncidentStore.fetch(incidentKey: seeded.key, db: db) })
            let status = Self.string(properties["status"])
            expect.checkAgreement(alert: alert, known: known, status: status,
                                  owner: Self.string((properties["owner"] as? [String: Any])?["objectId"])?.lowercased(),
                                  severity: Self.string(properties["severity"]), context: context, log: log)
            // Classification: both sides hold the same pair.
            if status == "Closed" {
                let pair = SentinelWriteClassification(classification: Self.string(properties["classification"]) ?? "", reason: Self.string(properties["classificationReason"]))
                #expect(SentinelWriteClassification.valid.contains(pair), "\(context): \(pair); \(log)")
                #expect(known.classification == pair.classification && known.classificationReason == pair.reason, "\(context): \(log)")
            }
            // Comments: no duplicates by id or by text, at most 100.
            let comments = cloud.arm.comments(name, in: workspace)
            #expect(Set(comments.map(\.id)).count == comments.count, "\(context): duplicate comment ids; \(log)")
            #expect(Set(comments.map(\.message)).count == comments.count, "\(context): duplicate comments; \(log)")
            #expect(comments.count <= 100)
            // No echo: PUTs bounded by our changes, plus one retry per injected fault.
            let puts = putsAfterSettle - putsBefore
            #expect(puts <= expect.ourChanges + faultsInjected, "\(context): \(puts) PUTs for \(expect.ourChanges) changes and \(faultsInjected) faults; \(log)")
            #expect(try application.database.read { db in
                try db.queryOne("SELECT COUNT(*) AS n FROM sentinel_writes WHERE state = 'failed'")!.get("n", as: Int.self)
            } == 0, "\(context): \(log)")
            // Every request valid against the spec; no PUT ever dropped an owner.
            #expect(cloud.arm.violations.isEmpty, "\(context): \(cloud.arm.violations); \(log)")
            if !cloud.arm.violations.isEmpty { break }
        }
        print("SentinelModelLoopbackTests seed \(seed): \(runs) runs, \(figures.steps) steps, \(figures.restarts) restarts, \(figures.conflicts) injected 409s, "
              + "\(figures.throttles) 429s, \(figures.serverErrors) 5xx, \(figures.timeouts) timeouts, \(figures.portalCloses) portal closes, "
              + "\(cloud.arm.requests(.putIncident)) incident PUTs, \(cloud.arm.requests(.putComment)) comment PUTs, in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
