import Foundation
import Testing
@testable import WatchkeeperApp

/// The write-back to Sentinel: what an acknowledge, a resolve, a note and a severity change send,
/// and how 409, 429, 5xx/timeouts and a restart are handled (docs/SENTINEL-SYNC.md).
@Suite struct SentinelSyncTests {
    let time = ManualTimeSource(Date(timeIntervalSince1970: 1_795_000_000))
    static let tenant = "11111111-1111-1111-1111-111111111111"

    func make() throws -> (SentinelSyncTestHarness, SentinelSyncTestWorkspace) {
        let workspace = SentinelSyncTestWorkspace(tenantId: Self.tenant, time: time)
        let harness = try SentinelSyncTestHarness(workspaces: ["con_a": workspace], time: time)
        try harness.addUser("usr_ana", name: "Ana", identities: [(Self.tenant, "aaaaaaaa-0000-0000-0000-00000000000a")])
        return (harness, workspace)
    }

    @Test func acknowledgeSendsOnePutWithOwnerAndActiveAndOneComment() throws {
        let (harness, workspace) = try make()
        let armId = workspace.create(name: "inc-1", title: "Impossible travel")
        let alertId = try harness.linkAlert(toIncident: armId, connectionId: "con_a")
        _ = try harness.store.change(alertId, to: .acknowledged, actor: "Ana", method: "sms", actorUserId: "usr_ana")
        #expect(try harness.settleWrites())
        let incident = try #require(workspace.incident(armId))
        #expect(workspace.ourPuts == 1)
        #expect(incident.properties["status"] == "Active")
        #expect(SentinelWriteChange.ownerId(incident.properties) == "aaaaaaaa-0000-0000-0000-00000000000a")
        #expect(incident.properties["title"] == "Impossible travel")
        #expect(incident.properties["labels"] == [["labelName": "prod"]])
        #expect(incident.comments.count == 1)
        #expect(incident.comments.values.first?.hasPrefix("Acknowledged by Ana via sms at ") == true)
        // Our own write does not come back as a change.
        try harness.poll()
        #expect(try harness.timeline(alertId).allSatisfy { !$0.contains("in Sentinel") })
        #expect(workspace.ourPuts == 1)
    }

    @Test func acknowledgeWithoutIdentityInTheTenantKeepsTheOwnerAndSaysSo() throws {
        let (harness, workspace) = try make()
        try harness.addUser("usr_bo", name: "Bo", identities: [("22222222-2222-2222-2222-222222222222", "bbbbbbbb-0000-0000-0000-00000000000b")])
        let armId = workspace.create(name: "inc-2", title: "Mass download")
        workspace.portal(armId) { $0["owner"] = ["objectId": "cccccccc-0000-0000-0000-00000000000c", "assignedTo": "Cy"] }
        let alertId = try harness.linkAlert(toIncident: armId, connectionId: "con_a")
        _ = try harness.store.change(alertId, to: .acknowledged, actor: "Bo", method: "voice", actorUserId: "usr_bo")
        #expect(try harness.settleWrites())
        let incident = try #require(workspace.incident(armId))
        #expect(SentinelWriteChange.ownerId(incident.properties) == "cccccccc-0000-0000-0000-00000000000c")
        #expect(incident.properties["status"] == "Active")
        #expect(incident.comments.values.first?.contains("no Entra identity in tenant") == true)
    }

    @Test func resolveWithAClassificationClosesWithThePairAndATimelineComment() throws {
        let (harness, workspace) = try make()
        let armId = workspace.create(name: "inc-3", title: "Malware")
        let alertId = try harness.linkAlert(toIncident: armId, connectionId: "con_a")
        let resolution = try SentinelWriteHook.resolution(from: ["classification": "FalsePositive", "classificationReason": "IncorrectAlertLogic", "comment": "rule too broad"])
        _ = try harness.store.change(alertId, to: .resolved, actor: "Ana", method: "api", resolution: resolution)
        #expect(try harness.settleWrites())
        let incident = try #require(workspace.incident(armId))
        #expect(incident.properties["status"] == "Closed")
        #expect(incident.properties["classification"] == "FalsePositive")
        #expect(incident.properties["classificationReason"] == "IncorrectAlertLogic")
        #expect(incident.properties["classificationComment"] == "rule too broad")
        #expect(incident.comments.values.first?.contains("Watchkeeper timeline:") == true)
        #expect(workspace.rejected.isEmpty)
    }

    @Test func resolveValidatesThePair() throws {
        #expect(throws: (any Error).self) { try SentinelWriteHook.resolution(from: ["classification": "BenignPositive"]) }
        #expect(throws: (any Error).self) { try SentinelWriteHook.resolution(from: ["classification": "TruePositive", "classificationReason": "InaccurateData"]) }
        #expect(throws: (any Error).self) { try SentinelWriteHook.resolution(from: ["classificationReason": "InaccurateData"]) }
        #expect(throws: (any Error).self) { try SentinelWriteHook.resolution(from: ["color": "red"]) }
        #expect(try SentinelWriteHook.resolution(from: ["classification": "Undetermined"])?.classification == .init(classification: "Undetermined", reason: nil))
    }

    @Test func aPortalChangeBetweenOurReadAndWriteIsKeptAfterTheConflict() throws {
        let (harness, workspace) = try make()
        let armId = workspace.create(name: "inc-4", title: "Brute force", severity: "Low")
        let alertId = try harness.linkAlert(toIncident: armId, connectionId: "con_a")
        workspace.inject(.portalWriteBeforePut { $0["severity"] = "High"; $0["labels"] = [["labelName": "vip"]] })
        _ = try harness.store.change(alertId, to: .acknowledged, actor: "Ana", method: "sms", actorUserId: "usr_ana")
        #expect(try harness.settleWrites())
        let incident = try #require(workspace.incident(armId))
        #expect(incident.properties["severity"] == "High")
        #expect(incident.properties["labels"] == [["labelName": "vip"]])
        #expect(incident.properties["status"] == "Active")
        #expect(SentinelWriteChange.ownerId(incident.properties) == "aaaaaaaa-0000-0000-0000-00000000000a")
        #expect(workspace.ourPuts == 1)
        // The portal's severity reaches the alert with our PUT's answer.
        #expect(try harness.alert(alertId).severity == "High")
    }

    /// An acknowledgement whose first attempt Sentinel answers 429 with Retry-After: 30 (at `start`).
    func throttledAcknowledgement(_ name: String) throws -> (SentinelSyncTestHarness, SentinelSyncTestWorkspace, alertId: String, start: Date) {
        let (harness, workspace) = try make()
        let armId = workspace.create(name: name, title: "Throttled")
        let alertId = try harness.linkAlert(toIncident: armId, connectionId: "con_a")
        workspace.inject(.throttle(30))
        _ = try harness.store.change(alertId, to: .acknowledged, actor: "Ana", method: "sms", actorUserId: "usr_ana")
        let start = time.now()
        _ = try harness.application.sentinelSync.run(at: start)
        harness.application.sentinelSync.waitUntilIdle()
        return (harness, workspace, alertId, start)
    }

    @Test func throttledWritesWaitRetryAfter() throws {
        let (harness, workspace, _, start) = try throttledAcknowledgement("inc-5")
        #expect(workspace.ourPuts == 0)
        // Not before Retry-After.
        _ = try harness.application.sentinelSync.run(at: start.addingTimeInterval(29))
        harness.application.sentinelSync.waitUntilIdle()
        #expect(workspace.ourPuts == 0)
        time.set(start.addingTimeInterval(30))
        #expect(try harness.settleWrites())
        #expect(workspace.ourPuts == 1)
        let status = try harness.application.connections.status("con_a")
        #expect(status.throttleCount == 1)
        #expect(status.throttledUntil == start.addingTimeInterval(30))
    }

    /// A note queued while the acknowledgement waits out a 429 goes behind it: the queue is next
    /// due when the acknowledgement is, not at the note's own (earlier) time.
    @Test func aWriteQueuedBehindAThrottledOneIsDueWithIt() throws {
        let (harness, workspace, alertId, start) = try throttledAcknowledgement("inc-7")
        #expect(workspace.ourPuts == 0)
        time.set(start.addingTimeInterval(5))
        _ = try harness.store.addNote(alertId, text: "looking", actor: "Ana", method: "api")
        let due = try harness.application.database.read { db in try SentinelWriteQueue.nextDue(db: db) }
        #expect(due == start.addingTimeInterval(30))
        #expect(try harness.application.sentinelSync.run(at: time.now()) == start.addingTimeInterval(30))
        #expect(try harness.settleWrites())
        #expect(workspace.ourPuts >= 1)
        #expect(try harness.writes(state: "done") == 2)
    }

    @Test func timeoutsAndLostAnswersAreRetriedWithoutDuplicates() throws {
        let (harness, workspace) = try make()
        let armId = workspace.create(name: "inc-6", title: "Flaky")
        let alertId = try harness.linkAlert(toIncident: armId, connectionId: "con_a")
        workspace.inject(.timeout)
        workspace.inject(.lostAnswer)
        _ = try harness.store.change(alertId, to: .acknowledged, actor: "Ana", method: "sms", actorUserId: "usr_ana")
        #expect(try harness.settleWrites())
        let incident = try #require(workspace.incident(armId))
        #expect(workspace.ourPuts == 1)
        #expect(incident.comments.count == 1)
        #expect(incident.properties["status"] == "Active")
    }

    @Test func aRestartWhileSendingSendsAgainWithoutDuplicateComments() throws {
        let (harness, workspace) = try make()
        let armId = workspace.create(name: "inc-7", title: "Restart")
        let alertId = try harness.linkAlert(toIncident: armId, connectionId: "con_a")
        _ = try harness.store.change(alertId, to: .acknowledged, actor: "Ana", method: "sms", actorUserId: "usr_ana")
        _ = try harness.store.addNote(alertId, text: "looking at the host", actor: "Ana", method: "api")
        // Claimed and sent, but the answer was never recorded (the server stopped first).
        let claimed = try harness.application.database.write { db in try SentinelWriteQueue.claim(at: time.now(), db: db) }
        for batch in claimed.batches { _ = SentinelSyncAttempt.perform(batch, transport: workspace) }
        #expect(try harness.writes(state: "sending") == 2)
        try harness.restart()
        #expect(try harness.settleWrites())
        let incident = try #require(workspace.incident(armId))
        #expect(incident.comments.count == 2)
        #expect(Set(incident.comments.values).count == 2)
        #expect(workspace.ourPuts == 1)
        #expect(try harness.writes(state: "done") == 2)
    }

    @Test func severityChangesAndNotesGoToSentinel() throws {
        let (harness, workspace) = try make()
        let armId = workspace.create(name: "inc-8", title: "Severity")
        let alertId = try harness.linkAlert(toIncident: armId, connectionId: "con_a")
        _ = try harness.store.changeSeverity(alertId, to: "High", actor: "Ana", method: "api")
        _ = try harness.store.addNote(alertId, text: "escalating to IR", actor: "Ana", method: "api")
        #expect(try harness.settleWrites())
        let incident = try #require(workspace.incident(armId))
        #expect(incident.properties["severity"] == "High")
        #expect(incident.comments.values.contains("Note by Ana via api: escalating to IR"))
        #expect(throws: (any Error).self) { try harness.store.changeSeverity(alertId, to: "critical", actor: "Ana", method: "api") }
    }

    @Test func commentsStopBeforeSentinelsLimitAndKeepTheLastForTheClose() throws {
        let (harness, workspace) = try make()
        let armId = workspace.create(name: "inc-9", title: "Chatty")
        let alertId = try harness.linkAlert(toIncident: armId, connectionId: "con_a")
        for index in 0..<105 { _ = try harness.store.addNote(alertId, text: "note \(index)", actor: "Ana", method: "api") }
        _ = try harness.store.change(alertId, to: .resolved, actor: "Ana", method: "api")
        #expect(try harness.settleWrites(rounds: 200))
        let incident = try #require(workspace.incident(armId))
        #expect(incident.comments.count == 100)
        #expect(incident.comments[incident.commentOrder.last!]?.hasPrefix("Resolved by Ana") == true)
        #expect(try harness.timeline(alertId).contains { $0.hasPrefix("Sentinel comment skipped") })
        #expect(incident.properties["classification"] == "Undetermined")
    }
}
