import Foundation
import HTTPServer
import Testing
@testable import WatchkeeperApp

/// The engine end to end over real sockets with an injected clock: events in, steps firing on
/// time, notification rules, acknowledgement stopping everything.
@Suite struct EscalationEngineTests {
    @Test func stepOnePagesTheOnCallUserThenStepTwoAfterItsDelayUntilAcknowledged() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.user("Ana", methods: [("sms", 0), ("email", 60)])
        let ben = try await api.user("Ben")
        // A daily rotation from 2026-11-01: on the test clock's day (2026-11-18, turn 17) the second participant is on call.
        let schedule = try await api.schedule(rotating: [ben, ana])
        let onCall = try await api.send("GET", "/api/v1/schedules/\(schedule)/on-call")
        #expect((onCall.object["onCall"] as? [[String: Any]])?.compactMap { $0["userId"] as? String } == [ana], "\(onCall.text)")
        let policy = try await api.policy([([("schedule", schedule)], 300), ([("user", ben)], 300)])
        let service = try await api.service(policy: policy)
        let alert = try await api.trigger(service.key, "Impossible travel for ana@contoso.com")
        api.runEngine()

        #expect(try api.pages(alert).map(\.type) == ["sms"])
        #expect(try api.pagedUsers(alert) == [ana])
        #expect(try await api.escalations(alert) == ["escalated to step 1 of 2: Ana"])

        api.advance(by: 59)
        #expect(try api.pages(alert).count == 1)
        api.advance(by: 1)
        #expect(try api.pages(alert).map(\.type) == ["sms", "email"], "Ana's second rule, 60 s after she was paged")

        api.advance(by: 239)
        #expect(try api.pagedUsers(alert) == [ana, ana], "step 2 waits for step 1's full delay")
        api.advance(by: 1)
        #expect(try api.pagedUsers(alert) == [ana, ana, ben])
        #expect(try await api.escalations(alert).last == "escalation policy finished: no further step")

        let ack = try await api.send("POST", "/api/v1/alerts/\(alert)/acknowledge", token: api.responder)
        #expect(ack.status == 200)
        api.advance(by: 7200)
        #expect(try api.pages(alert).count == 3, "nothing after the acknowledgement")
        #expect(try await api.status(alert) == "acknowledged")
    }

    @Test func acknowledgingCancelsRulesNotYetDueAndStopsTheNextStep() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.user("Ana", methods: [("sms", 0), ("voice", 120)])
        let ben = try await api.user("Ben")
        let policy = try await api.policy([([("user", ana)], 300), ([("user", ben)], 300)])
        let alert = try await api.trigger(try await api.service(policy: policy).key, "Ransomware note found on FS01")
        api.runEngine()
        #expect(try await api.send("POST", "/api/v1/alerts/\(alert)/acknowledge", token: api.responder).status == 200)
        api.advance(by: 3600)
        #expect(try api.pages(alert).map(\.type) == ["sms"])
        #expect(try await api.escalations(alert).count == 1)
    }

    @Test func repeatCountRunsThePolicyAgainAndPagesAgainEachPass() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.user("Ana")
        let policy = try await api.policy([([("user", ana)], 60)], repeatCount: 2)
        let alert = try await api.trigger(try await api.service(policy: policy).key, "Brute force on VPN")
        api.runEngine()
        api.advance(by: 60)
        api.advance(by: 60)
        api.advance(by: 600)
        #expect(try api.pagedUsers(alert) == [ana, ana, ana])
        #expect(try await api.escalations(alert) == [
            "escalated to step 1 of 1, pass 1 of 3: Ana", "escalated to step 1 of 1, pass 2 of 3: Ana",
            "escalated to step 1 of 1, pass 3 of 3: Ana", "escalation policy finished: no further step",
        ])
    }

    @Test(arguments: [true, false])
    func aStepWhoseTargetsNameNobodyIsSkippedOnlyWhenThePolicySaysSo(skip: Bool) async throws {
        let api = try PagingAPIClient()
        let ben = try await api.user("Ben")
        let nobody = try await api.emptySchedule()
        let policy = try await api.policy([([("schedule", nobody)], 600), ([("user", ben)], 60)], skipEmptySteps: skip)
        let alert = try await api.trigger(try await api.service(policy: policy).key, "Suspicious inbox rule")
        api.runEngine()
        #expect(try api.pagedUsers(alert) == (skip ? [ben] : []))
        #expect(try await api.escalations(alert).first == "escalated to step 1 of 2: nobody is on call (schedule \(nobody))")
        api.advance(by: 600)
        #expect(try api.pagedUsers(alert) == [ben])
    }

    @Test func aUserPagedByTwoStepsOfOnePassGetsEachRuleOnce() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.user("Ana", methods: [("sms", 0), ("email", 600)])
        let ben = try await api.user("Ben")
        let schedule = try await api.schedule(rotating: [ana])
        let policy = try await api.policy([([("schedule", schedule)], 60), ([("user", ana), ("user", ben)], 60)])
        let alert = try await api.trigger(try await api.service(policy: policy).key, "Mass download from SharePoint")
        api.runEngine()
        api.advance(by: 60)
        #expect(try api.pages(alert).map(\.userId) == [ana, ben])
        api.advance(by: 540)
        #expect(try api.pages(alert).map(\.type) == ["sms", "sms", "email"], "Ana's e-mail rule once, timed from step 1")
    }

    @Test func theAcknowledgementTimeoutTriggersAgainAndStartsOver() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.user("Ana")
        let policy = try await api.policy([([("user", ana)], 300)], acknowledgementTimeoutSeconds: 600)
        let alert = try await api.trigger(try await api.service(policy: policy).key, "Malware on LAPTOP-7")
        api.runEngine()
        api.advance(by: 10)
        #expect(try await api.send("POST", "/api/v1/alerts/\(alert)/acknowledge", token: api.responder).status == 200)
        api.advance(by: 599)
        #expect(try await api.status(alert) == "acknowledged")
        api.advance(by: 1)
        #expect(try await api.status(alert) == "triggered")
        #expect(try api.pagedUsers(alert) == [ana, ana])
        #expect(try await api.timeline(alert).contains { $0.kind == "retriggered" })
        // Resolving ends it for good.
        #expect(try await api.send("POST", "/api/v1/alerts/\(alert)/resolve", token: api.responder).status == 200)
        api.advance(by: 86_400)
        #expect(try api.pagedUsers(alert) == [ana, ana])
    }

    @Test func aServiceInMaintenanceRecordsAlertsButPagesNobody() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.user("Ana")
        let policy = try await api.policy([([("user", ana)], 60)])
        let until = RFC3339.format(api.time.now().addingTimeInterval(3600))
        let service = try await api.service(policy: policy, extra: ["maintenanceUntil": until])
        let alert = try await api.trigger(service.key, "Patch Tuesday reboot storm")
        api.advance(by: 7200)
        #expect(try api.pages(alert).isEmpty)
        #expect(try await api.timeline(alert).map(\.kind) == ["created", "suppressed"])
        let after = try await api.trigger(service.key, "After maintenance")
        api.runEngine()
        #expect(try api.pagedUsers(after) == [ana])
    }

    @Test func aRepeatTriggerDeduplicatesWithoutPagingAgainAndAfterResolveOpensANewAlert() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.user("Ana")
        let policy = try await api.policy([([("user", ana)], 600)])
        let key = try await api.service(policy: policy).key
        let first = try await api.trigger(key, "Beaconing from 10.0.0.7", dedupKey: "beacon-7")
        api.runEngine()
        #expect(try await api.trigger(key, "Beaconing from 10.0.0.7 (again)", dedupKey: "beacon-7") == first)
        api.advance(by: 5)
        #expect(try api.pagedUsers(first) == [ana])
        #expect(try await api.send("POST", "/api/v1/alerts/\(first)/resolve", token: api.responder).status == 200)
        let second = try await api.trigger(key, "Beaconing from 10.0.0.7", dedupKey: "beacon-7")
        #expect(second != first)
        api.runEngine()
        #expect(try api.pagedUsers(second) == [ana])
        #expect(try api.pagedUsers(first) == [ana])
    }

    @Test func escalatingFiresTheNextStepNowAndReopensAnAcknowledgedAlert() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.user("Ana")
        let ben = try await api.user("Ben")
        let policy = try await api.policy([([("user", ana)], 900), ([("user", ben)], 900)])
        let alert = try await api.trigger(try await api.service(policy: policy).key, "Golden ticket suspected")
        api.runEngine()
        #expect(try await api.send("POST", "/api/v1/alerts/\(alert)/acknowledge", token: api.responder).status == 200)
        let escalated = try await api.send("POST", "/api/v1/alerts/\(alert)/escalate", token: api.responder)
        #expect(escalated.status == 200)
        #expect(escalated.object["status"] as? String == "triggered")
        api.runEngine()
        #expect(try api.pagedUsers(alert) == [ana, ben])
        // After the last step, escalating starts over from step 1 in a new round.
        #expect(try await api.send("POST", "/api/v1/alerts/\(alert)/escalate", token: api.responder).status == 200)
        api.runEngine()
        #expect(try api.pagedUsers(alert) == [ana, ben, ana])
        #expect(try await api.send("POST", "/api/v1/alerts/\(alert)/resolve", token: api.responder).status == 200)
        #expect(try await api.send("POST", "/api/v1/alerts/\(alert)/escalate", token: api.responder).status == 409)
        #expect(try await api.send("POST", "/api/v1/alerts/\(alert)/escalate", token: api.alerts.viewer).status == 403)
    }

    @Test func unverifiedMethodsAreSkippedAndAUserWithoutRulesIsNoted() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.user("Ana", methods: [])
        let ben = try await api.user("Ben", methods: [])
        try api.addMethod(userId: ben, type: "sms", address: "+4790000001", delaySeconds: 0, verified: false)
        let policy = try await api.policy([([("user", ana), ("user", ben)], 60)])
        let alert = try await api.trigger(try await api.service(policy: policy).key, "Test")
        api.runEngine()
        #expect(try api.pages(alert).isEmpty)
        let notes = try await api.timeline(alert).filter { $0.kind == "notified" }.map(\.message)
        #expect(notes.contains("Ana has no notification rules; nobody can be reached"))
        #expect(notes.contains { $0.hasPrefix("not notifying Ben: contact method") && $0.hasSuffix("is not verified") })
    }

    @Test func afterARestartEveryOverdueStepFiresAtOnceAndOnlyOnce() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.user("Ana")
        let ben = try await api.user("Ben")
        let cy = try await api.user("Cy")
        let policy = try await api.policy([([("user", ana)], 60), ([("user", ben)], 60), ([("user", cy)], 60)])
        let alert = try await api.trigger(try await api.service(policy: policy).key, "Domain admin added")
        api.runEngine()
        api.server.application.shutdown()

        // Down for an hour: steps 2 and 3 are overdue when the server comes back.
        let later = ManualTimeSource(api.time.now().addingTimeInterval(3600))
        let restarted = try api.server.restarted(time: later)
        defer { restarted.shutdown() }
        restarted.engine.runNow()
        restarted.engine.runNow()
        let pages = try restarted.database.read { db in
            try db.query("SELECT user_id FROM messages WHERE alert_id = ? AND kind = 'alert' ORDER BY created_at, rowid", [.text(alert)])
                .map { try $0.get("user_id", as: String.self) }
        }
        #expect(pages == [ana, ben, cy])
        let escalations = try restarted.database.read { db in
            try db.query("SELECT message FROM alert_timeline WHERE alert_id = ? AND kind = 'escalated' ORDER BY id", [.text(alert)])
                .map { try $0.get("message", as: String.self) }
        }
        #expect(escalations == ["escalated to step 1 of 3: Ana", "escalated to step 2 of 3: Ben", "escalated to step 3 of 3: Cy",
                                "escalation policy finished: no further step"])
    }

    @Test func pagedUsersWhoOptedInAreToldWhoAcknowledgedAndResolved() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.user("Ana")
        let ben = try await api.user("Ben", statusUpdates: true)
        let cy = try await api.user("Cy", statusUpdates: true)
        let policy = try await api.policy([([("user", ana), ("user", ben)], 600), ([("user", cy)], 600)])
        let alert = try await api.trigger(try await api.service(policy: policy).key, "Impossible travel")
        api.runEngine()
        #expect(try await api.send("POST", "/api/v1/alerts/\(alert)/acknowledge", token: api.responder).status == 200)
        #expect(try await api.send("POST", "/api/v1/alerts/\(alert)/resolve", token: api.responder).status == 200)
        let updates = try api.server.application.database.read { db in
            try db.query("SELECT user_id, body FROM messages WHERE alert_id = ? AND kind = 'status-update' ORDER BY created_at, rowid", [.text(alert)])
                .map { (try $0.get("user_id", as: String.self), try $0.get("body", as: String.self)) }
        }
        // Cy was never paged (step 2 did not fire), Ana did not opt in.
        #expect(updates.map(\.0) == [ben, ben])
        #expect(updates.map(\.1) == ["Acknowledged by ana-responder via api: Impossible travel (SOC Tier 1)",
                                     "Resolved by ana-responder via api: Impossible travel (SOC Tier 1)"])
    }
}
