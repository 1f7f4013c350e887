import Foundation
import Testing
@testable import WatchkeeperApp

/// Acceptance 3: random interleavings of changes on both sides, with injected 409s, 429s,
/// timeouts, lost answers and restarts, end with both sides agreeing as docs/SENTINEL-SYNC.md
/// ("What agree means") defines. The seed is printed; SENTINEL_MODEL_SEED replays a run.
@Suite struct SentinelModelTests {
    /// SplitMix64: small, seedable, the same on every platform.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let tenant = "11111111-1111-1111-1111-111111111111"
    static let ana = "aaaaaaaa-0000-0000-0000-00000000000a"
    static let severities = ["High", "Medium", "Low", "Informational"]

    static func text(_ value: JSONValue?) -> String? { if case .string(let text)? = value { text } else { nil } }

    enum Action: CaseIterable {
        case ack, resolve, note, severity, portalOwner, portalSeverity, portalClose, portalComment
        case conflict, throttle, timeout, lostAnswer, restart, crashWhileSending, progress, poll
    }

    /// What the model expects, from the order in which things happened.
    struct Expectation {
        /// The time (step) of each side's last change to a field; nil: never.
        var ourOwnerAt: Int?, portalOwnerAt: Int?, ourSeverityAt: Int?, portalSeverityAt: Int?
        var ourOwner: String?, portalOwner: String?, ourSeverity: String?, portalSeverity: String?
        var acked = false, resolvedHere = false
        var ourChanges = 0
        /// The last step with any portal change of the incident's fields, and whether a portal
        /// write between our read and write was injected (it happens at an unknown later time).
        var portalChangeAt: Int?
        var conflictInjected = false

        /// Ours is certainly the last writer: later than every portal change.
        func oursIsLast(_ ours: Int?) -> Bool {
            guard let ours, !conflictInjected else { return false }
            return portalChangeAt.map { $0 < ours } ?? true
        }
        /// The portal's change of the field is later than ours (or we never changed it).
        func portalIsLast(_ portal: Int?, _ ours: Int?) -> Bool {
            guard let portal else { return false }
            return ours.map { $0 < portal } ?? true
        }

        /// What both model tests check after settling (docs/SENTINEL-SYNC.md, "What agree means"):
        /// status, owner and severity agree on both sides, and where the order of the two sides'
        /// changes is certain, the later one is what both hold. `status`, `owner`, `severity`: Sentinel's.
        func checkAgreement(alert: Alert, known: SentinelIncidentStore.Record, status: String?, owner: String?, severity: String?,
                            context: String, log: [String]) {
            // Status: resolved ⇔ Closed; acknowledged ⇒ Active; triggered ⇒ New.
            switch alert.status {
            case .resolved: #expect(status == "Closed", "\(context): \(log)")
            case .acknowledged: #expect(status == "Active", "\(context): \(log)")
            case .triggered: #expect(status == "New", "\(context): \(log)")
            }
            #expect((status == "Closed") == (alert.status == .resolved), "\(context): \(log)")
            // Owner: Watchkeeper holds Sentinel's; never dropped by us; the last writer wins, by time,
            // where the order is certain.
            #expect(known.ownerObjectId?.lowercased() == owner, "\(context): owner \(String(describing: known.ownerObjectId)) here, \(String(describing: owner)) there; \(log)")
            if oursIsLast(ourOwnerAt) {
                #expect(owner == ourOwner, "\(context): our owner lost; \(log)")
            } else if portalIsLast(portalOwnerAt, ourOwnerAt) {
                #expect(owner == portalOwner, "\(context): the portal's owner lost; \(log)")
            } else if ourOwnerAt == nil && portalOwnerAt == nil {
                #expect(owner == nil, "\(context): \(log)")
            }
            // Severity: both sides hold the same; the later side wins when the order is certain.
            #expect(alert.severity == severity, "\(context): severity; \(log)")
            #expect(known.severity.rawValue == alert.severity, "\(context): \(log)")
            if oursIsLast(ourSeverityAt) {
                #expect(alert.severity == ourSeverity, "\(context): our severity lost; \(log)")
            } else if portalIsLast(portalSeverityAt, ourSeverityAt) {
                #expect(alert.severity == portalSeverity, "\(context): the portal's severity lost; \(log)")
            }
        }
    }

    /// The seed of a model run: `fixed` unless SENTINEL_MODEL_SEED names one (a replay) or says
    /// `random` (a new exploration). Fixed by default so that a red `make test` is the change's
    /// fault, not the dice's; seeds that found a bug become the fixed ones.
    static func seed(fixed: UInt64) -> UInt64 {
        switch ProcessInfo.processInfo.environment["SENTINEL_MODEL_SEED"] {
        case "random"?: UInt64.random(in: 1...UInt64.max / 2)
        case let value?: UInt64(value) ?? fixed
        case nil: fixed
        }
    }

    @Test func randomInterleavingsEndWithBothSidesAgreeing() throws {
        // This seed found a note queued behind a throttled write stalling the queue (nextDue).
        let seed = Self.seed(fixed: 7_594_545_734_993_590_798)
        print("SentinelModelTests seed \(seed) (replay: SENTINEL_MODEL_SEED=\(seed))")
        var random = Generator(state: seed)
        let runs = 200, runsPerDatabase = 25, maximumSteps = 12
        let time = ManualTimeSource(Date(timeIntervalSince1970: 1_795_000_000))
        var figures = (steps: 0, restarts: 0, conflicts: 0, throttles: 0, timeouts: 0, ourPuts: 0, comments: 0, portalCloses: 0)
        var harness: SentinelSyncTestHarness?
        var workspace = SentinelSyncTestWorkspace(tenantId: Self.tenant, time: time)
        let started = Date()

        for run in 0..<runs {
            if run % runsPerDatabase == 0 {
                workspace = SentinelSyncTestWorkspace(tenantId: Self.tenant, time: time)
                harness = try SentinelSyncTestHarness(workspaces: ["con_a": workspace], time: time)
                try harness!.addUser("usr_ana", name: "Ana", identities: [(Self.tenant, Self.ana)])
                try harness!.addUser("usr_bo", name: "Bo", identities: [])
            }
            let h = harness!
            let putsBefore = workspace.ourPuts
            let armId = workspace.create(name: "inc-\(run)", title: "Incident \(run)", severity: Self.severities.randomElement(using: &random)!)
            let alertId = try h.linkAlert(toIncident: armId, connectionId: "con_a")
            var expect = Expectation()
            let context = "seed \(seed) run \(run)"
            var log: [String] = []
            var usedSeverities: Set<String> = [Self.text(workspace.incident(armId)?.properties["severity"]) ?? ""]

            let steps = Int.random(in: 1...maximumSteps, using: &random)
            for step in 0..<steps {
                figures.steps += 1
                let action = Action.allCases.randomElement(using: &random)!
                log.append("\(action)")
                let alert = try h.alert(alertId)
                let sentinelClosed = workspace.incident(armId)?.properties["status"] == "Closed"
                switch action {
                case .ack where alert.status == .triggered:
                    let user = Bool.random(using: &random) ? "usr_ana" : "usr_bo"
                    _ = try h.store.change(alertId, to: .acknowledged, actor: user, method: "sms", actorUserId: user)
                    expect.acked = true
                    expect.ourChanges += 1
                    if user == "usr_ana" { (expect.ourOwner, expect.ourOwnerAt) = (Self.ana, step) }
                case .resolve where alert.status != .resolved:
                    let pair = Bool.random(using: &random) ? SentinelWriteClassification.valid.randomElement(using: &random) : nil
                    _ = try h.store.change(alertId, to: .resolved, actor: "Ana", method: "api",
                                           resolution: .init(classification: pair, comment: "run \(run)"))
                    expect.resolvedHere = true
                    expect.ourChanges += 1
                case .note:
                    _ = try h.store.addNote(alertId, text: "note \(run).\(step)", actor: "Ana", method: "api")
                case .severity:
                    let severity = Self.severities.randomElement(using: &random)!
                    if alert.severity != severity {
                        usedSeverities.insert(severity)
                        _ = try h.store.changeSeverity(alertId, to: severity, actor: "Ana", method: "api")
                        (expect.ourSeverity, expect.ourSeverityAt) = (severity, step)
                        expect.ourChanges += 1
                    }
                // The portal saves only a field that changes, and never back to a value it had: a
                // change and its undo between two of our reads are invisible (docs: "ABA").
                case .portalOwner:
                    let owner = String(format: "dddddddd-0000-0000-%04d-%012d", step, run)
                    workspace.portal(armId) { $0["owner"] = ["objectId": .string(owner), "assignedTo": "Portal user"] }
                    (expect.portalOwner, expect.portalOwnerAt, expect.portalChangeAt) = (owner, step, step)
                case .portalSeverity:
                    guard let severity = Self.severities.filter({ !usedSeverities.contains($0) }).randomElement(using: &random) else {
                        log[log.count - 1] += " (skipped)"
                        break
                    }
                    usedSeverities.insert(severity)
                    workspace.portal(armId) { $0["severity"] = .string(severity) }
                    (expect.portalSeverity, expect.portalSeverityAt, expect.portalChangeAt) = (severity, step, step)
                case .portalClose where !sentinelClosed:
                    let pair = SentinelWriteClassification.valid.randomElement(using: &random)!
                    workspace.portal(armId) { SentinelSyncTestWorkspace.close(&$0, pair) }
                    expect.portalChangeAt = step
                    figures.portalCloses += 1
                case .portalComment:
                    workspace.portalComment(armId, "portal comment \(run).\(step)")
                case .conflict:
                    // Someone writes in the portal between our GET and PUT; it changes a field nobody else does.
                    workspace.inject(.portalWriteBeforePut { $0["description"] = "edited in the portal" })
                    expect.conflictInjected = true
                    figures.conflicts += 1
                case .throttle:
                    workspace.inject(.throttle(TimeInterval(Int.random(in: 1...120, using: &random))))
                    figures.throttles += 1
                case .timeout:
                    workspace.inject(.timeout)
                    figures.timeouts += 1
                case .lostAnswer:
                    workspace.inject(.lostAnswer)
                    figures.timeouts += 1
                case .restart:
                    try h.restart()
                    figures.restarts += 1
                case .crashWhileSending:
                    // Sent, but the server stopped before recording the answers.
                    let claimed = try h.application.database.write { db in try SentinelWriteQueue.claim(at: time.now(), db: db) }
                    for batch in claimed.batches { _ = SentinelSyncAttempt.perform(batch, transport: workspace) }
                    try h.restart()
                    figures.restarts += 1
                case .progress:
                    _ = try h.application.sentinelSync.run(at: time.now())
                    h.application.sentinelSync.waitUntilIdle()
                case .poll:
                    try h.poll()
                default:
                    log[log.count - 1] += " (skipped)"
                }
                time.advance(by: TimeInterval(Int.random(in: 1...90, using: &random)))
            }

            // Settle: send everything, poll, repeat until quiet.
            for _ in 0..<4 {
                #expect(try h.settleWrites(rounds: 100), "\(context): writes did not settle; \(log)")
                time.advance(by: 61)
                try h.poll()
            }
            workspace.clearFaults()
            let putsAfterSettle = workspace.ourPuts
            let timelineAfterSettle = try h.timeline(alertId).count
            // Quiet means quiet: more polls and passes send nothing and record nothing (no echo loop).
            for _ in 0..<2 {
                time.advance(by: 61)
                try h.poll()
                try h.settleWrites()
            }
            #expect(workspace.ourPuts == putsAfterSettle, "\(context): echo loop; \(log)")
            #expect(try h.timeline(alertId).count == timelineAfterSettle, "\(context): echo in the timeline; \(log)")

            let incident = try #require(workspace.incident(armId))
            let alert = try h.alert(alertId)
            let known = try #require(try h.known(armId))
            let status = Self.text(incident.properties["status"])
            expect.checkAgreement(alert: alert, known: known, status: status, owner: SentinelWriteChange.ownerId(incident.properties),
                                  severity: Self.text(incident.properties["severity"]), context: context, log: log)
            // Classification: the first close to reach Sentinel decides, and both sides hold it.
            if status == "Closed" {
                let first = try #require(workspace.firstClose[armId.lowercased()])
                #expect(incident.properties["classification"] == .string(first.classification), "\(context): \(log)")
                #expect(known.classification == first.classification && known.classificationReason == first.reason, "\(context): \(log)")
            }
            // Comments: no duplicates by id (ids are keys) or by text, at most 100.
            let texts = incident.comments.values
            #expect(Set(texts).count == texts.count, "\(context): duplicate comments; \(log)")
            #expect(incident.comments.count <= 100)
            // No echo: at most one PUT per change of ours (coalescing makes it fewer), never an owner dropped.
            #expect(workspace.ourPuts - putsBefore <= expect.ourChanges, "\(context): \(workspace.ourPuts - putsBefore) PUTs for \(expect.ourChanges) changes; \(log)")
            #expect(workspace.ownerDrops == 0, "\(context): \(log)")
            #expect(try h.writes(state: "failed") == 0, "\(context): \(log)")
            #expect(workspace.rejected.isEmpty, "\(context): \(workspace.rejected)")
        }
        figures.ourPuts = workspace.ourPuts
        figures.comments = workspace.ourCommentPuts
        print("SentinelModelTests seed \(seed): \(runs) runs, \(figures.steps) steps, \(figures.restarts) restarts, \(figures.conflicts) injected 409s, "
              + "\(figures.throttles) 429s, \(figures.timeouts) timeouts/lost answers, \(figures.portalCloses) portal closes, in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
