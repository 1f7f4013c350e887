import Foundation
import Storage
import Testing
@testable import WatchkeeperApp

/// Acceptance 4: a storm of alerts on several services, paged through the Twilio gateway into the
/// fake Twilio. Counting what the fake received per number shows the throttle (GoAlert's rules:
/// one message a minute per contact method, at most 5 SMS / 3 calls per 15 minutes, a service's
/// first alert exempt) and the bundling ("N new alerts") hold end to end.
@Suite struct TwilioStormTests {
    struct Send {
        var at: Date
        var service: String
        /// How many alerts the message carried: itself and the messages bundled into it.
        var alerts: Int
        var body: String?
    }

    /// The sends to `number`, with the service and bundle size the server recorded for each SID.
    static func sends(_ harness: TwilioAppHarness, to number: String, _ resource: String) throws -> [Send] {
        try harness.sends(to: number, resource).map { send in
            try harness.database.read { db in
                let row = try #require(try db.queryOne("SELECT id, service_id FROM messages WHERE provider_message_id = ?", [.text(send.request.sid)]),
                                       "no message for \(send.request.sid)")
                let id: String = try row.get("id")
                let bundled = try db.queryOne("SELECT count(*) AS n FROM messages WHERE bundle_id = ?", [.text(id)])?.get("n", as: Int64.self) ?? 0
                return Send(at: send.at, service: try row.get("service_id"), alerts: 1 + Int(bundled), body: send.request.value("Body"))
            }
        }
    }

    /// GoAlert's throttle, stated on its own: a send that is not a service's first in 15 minutes
    /// comes at least 60 s after the method's previous send, with fewer than `limit` sends in the
    /// 15 minutes before it.
    static func checkThrottle(_ arrived: [Send], limit: Int, _ label: String) {
        // Sends of one instant leave on parallel sender threads, so their arrival order says
        // nothing about the order they were allowed in; an exempt send may go at any time, so
        // it is put after the throttled ones of its instant.
        func exempt(_ send: Send) -> Bool {
            !arrived.contains { $0.service == send.service && $0.at < send.at && $0.at > send.at.addingTimeInterval(-900) }
        }
        let sends = arrived.enumerated().sorted { a, b in
            a.element.at != b.element.at ? a.element.at < b.element.at
                : exempt(a.element) != exempt(b.element) ? !exempt(a.element) : a.offset < b.offset
        }.map(\.element)
        for (index, send) in sends.enumerated() {
            let earlier = sends[..<index]
            let exempt = !earlier.contains { $0.service == send.service && $0.at > send.at.addingTimeInterval(-900) }
            if exempt { continue }
            if let previous = earlier.last {
                #expect(send.at.timeIntervalSince(previous.at) >= 60, "\(label) send \(index) came \(send.at.timeIntervalSince(previous.at)) s after the previous one")
            }
            let inWindow = earlier.filter { $0.at > send.at.addingTimeInterval(-900) }.count
            #expect(inWindow < limit, "\(label) send \(index) had \(inWindow) sends in the 15 minutes before it")
        }
    }

    @Test func aStormOnSeveralServicesIsThrottledAndBundledAtTwilio() throws {
        let harness = try TwilioAppHarness()
        let ana = try harness.user("Ana", methods: [("sms", "+447700900111", 0), ("voice", "+447700900112", 0)])
        let bo = try harness.user("Bo", methods: [("sms", "+447700900113", 0)])
        let keys = [
            "A": try harness.service("Storm A", paging: [ana, bo]),
            "B": try harness.service("Storm B", paging: [ana]),
            "C": try harness.service("Storm C", paging: [ana, bo]),
        ]
        var triggered: [String: Int] = ["A": 0, "B": 0, "C": 0]
        func storm(_ counts: [(String, Int)]) throws {
            // Interleaved, the way a real storm arrives.
            let longest = counts.map(\.1).max() ?? 0
            for round in 0..<longest {
                for (service, count) in counts where round < count {
                    triggered[service, default: 0] += 1
                    _ = try harness.trigger(keys[service]!, "\(service) host\(triggered[service]!) unreachable")
                }
            }
        }
        try storm([("A", 12), ("B", 6), ("C", 4)])
        harness.settle()
        // 45 minutes in 10-second steps, fine enough to see a send that comes early.
        for step in 1...270 {
            if step == 37 { try storm([("A", 5), ("C", 2)]) }
            harness.advance(by: 10)
        }
        #expect(harness.fake.violations == [])

        // Every page was sent or folded into a sent bundle: nothing is left behind.
        let waiting = try harness.database.read { db in
            try db.queryOne("SELECT count(*) AS n FROM messages WHERE kind = 'alert' AND state NOT IN ('sent', 'bundled')")?.get("n", as: Int64.self) ?? -1
        }
        #expect(waiting == 0)

        let anaSMS = try Self.sends(harness, to: "+447700900111", "Messages")
        let anaCalls = try Self.sends(harness, to: "+447700900112", "Calls")
        let boSMS = try Self.sends(harness, to: "+447700900113", "Messages")
        #expect(harness.fake.received.count == anaSMS.count + anaCalls.count + boSMS.count)
        Self.checkThrottle(anaSMS, limit: 5, "Ana SMS")
        Self.checkThrottle(anaCalls, limit: 3, "Ana voice")
        Self.checkThrottle(boSMS, limit: 5, "Bo SMS")

        // Each alert reached each of its contact methods exactly once, mostly in bundles.
        let total = triggered.values.reduce(0, +)
        let forBo = triggered["A"]! + triggered["C"]!
        #expect(anaSMS.map(\.alerts).reduce(0, +) == total)
        #expect(anaCalls.map(\.alerts).reduce(0, +) == total)
        #expect(boSMS.map(\.alerts).reduce(0, +) == forBo)
        #expect(anaSMS.count < total / 2 && anaCalls.count < total / 2 && boSMS.count < forBo / 2)
        // A bundle says how many alerts it carries.
        let bundles = (anaSMS + boSMS).filter { $0.alerts > 1 }
        #expect(!bundles.isEmpty)
        for bundle in bundles {
            #expect(bundle.body?.hasPrefix("\(bundle.alerts) new alerts") == true, "\(bundle.body ?? "")")
        }
    }
}
