import Foundation
import Logging
import Storage
import Testing
@testable import WatchkeeperApp

/// Shift notices through the real engine: a daily rotation (alice, bob, hand-over 09:00 GMT from
/// Monday 2026-11-02, alice first), contact methods inserted with SQL, the clock moved by hand.
@Suite struct ShiftNoticeTests {
    struct World {
        let server: TestServer
        let fixtures: ScheduleFixtures

        init() throws {
            server = try TestServer()
            fixtures = ScheduleFixtures(database: server.application.database)
            for (id, name) in [("alice", "Alice Adams"), ("bob", "Bob Brown")] { try fixtures.user(id, name: name) }
            try fixtures.rotation("primary", name: "Primary", participants: ["alice", "bob"], anchor: "2026-11-02T09:00")
            try fixtures.schedule("soc", name: "SOC")
            try fixtures.rule("r-primary", schedule: "soc", rotation: "primary")
        }

        func contactMethod(_ id: String, user: String, type: String = "sms", notices: Bool = true, reminders: Bool = false,
                           verified: Bool = true, disabled: Bool = false) throws {
            let now = server.time.now()
            try server.application.database.write { db in
                try db.run("""
                    INSERT INTO contact_methods (id, user_id, type, name, address, shift_notices, shift_reminders, verified_at, disabled_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(id), .text(user), .text(type), .text(id), .text("\(id)@example.com"), .integer(notices ? 1 : 0), .integer(reminders ? 1 : 0),
                          verified ? SQLValue(now) : .null, disabled ? SQLValue(now) : .null, SQLValue(now), SQLValue(now)])
            }
        }

        /// Moves the clock and runs the engine twice, as a repeated or racing pass would.
        func at(_ instant: String) {
            server.time.set(utc(instant))
            server.application.engine.runNow()
            server.application.engine.runNow()
        }

        struct Message: Equatable { var method: String; var subject: String; var body: String }

        func messages() throws -> [Message] {
            try server.application.database.read { db in
                try db.query("SELECT contact_method_id, subject, body FROM messages WHERE kind = 'shift-notice' ORDER BY created_at, subject, contact_method_id")
                    .map { Message(method: try $0.get("contact_method_id"), subject: try $0.get("subject"), body: try $0.get("body")) }
            }
        }

        func noticeRows() throws -> Int {
            try server.application.database.read { db in Int(try db.queryOne("SELECT count(*) AS n FROM shift_notices")?.get("n", as: Int64.self) ?? -1) }
        }
    }

    @Test func oneNoticePerStartAndAReminderOnlyWhenOptedIn() async throws {
        let world = try World()
        try world.contactMethod("cm_bob_sms", user: "bob", reminders: true)
        try world.contactMethod("cm_bob_mail", user: "bob", type: "email", reminders: true, verified: false)
        try world.contactMethod("cm_alice_sms", user: "alice")
        try world.contactMethod("cm_alice_off", user: "alice", type: "email", reminders: true, disabled: true)
        try world.contactMethod("cm_alice_quiet", user: "alice", type: "voice", notices: false)

        world.at("2026-11-03T07:59:00Z")
        #expect(try world.messages().isEmpty)

        // Bob's shift starts 09:00; his reminder is due at 08:00.
        world.at("2026-11-03T08:00:00Z")
        world.at("2026-11-03T08:05:00Z")
        #expect(try world.messages() == [
            .init(method: "cm_bob_sms", subject: "On call in 1 hour: SOC",
                  body: "Your on-call shift on SOC starts in 1 hour at Tue 3 Nov 09:00 GMT, until Wed 4 Nov 09:00 GMT."),
        ])

        world.at("2026-11-03T09:00:00Z")
        world.at("2026-11-03T09:14:00Z")
        let bob = try world.messages()
        #expect(bob.count == 2)
        #expect(bob.last == .init(method: "cm_bob_sms", subject: "On call now: SOC", body: "Your on-call shift on SOC starts now, until Wed 4 Nov 09:00 GMT."))

        // Alice is not opted in to reminders (her only reminder method is disabled): the start only.
        world.at("2026-11-04T08:00:00Z")
        #expect(try world.messages().count == 2)
        world.at("2026-11-04T09:00:30Z")
        let all = try world.messages()
        #expect(all.count == 3)
        #expect(all.last?.method == "cm_alice_sms" && all.last?.subject == "On call now: SOC")
        #expect(!all.contains { ["cm_bob_mail", "cm_alice_off", "cm_alice_quiet"].contains($0.method) })
        // Recorded per (schedule, user, start, kind), whatever the methods: bob reminder + start, alice reminder + start.
        #expect(try world.noticeRows() == 4)
    }

    @Test func aLongOutageSendsNothingStale() async throws {
        let world = try World()
        try world.contactMethod("cm_bob_sms", user: "bob", reminders: true)
        // The server was down across bob's reminder (08:00) and start (09:00); back at 09:16.
        world.at("2026-11-03T09:16:00Z")
        #expect(try world.messages().isEmpty)
        // Back at 09:15 instead: the start is 15 minutes late, still sent; the reminder is not.
        let other = try World()
        try other.contactMethod("cm_bob_sms", user: "bob", reminders: true)
        other.at("2026-11-03T09:15:00Z")
        #expect(try other.messages().map(\.subject) == ["On call now: SOC"])
    }

    @Test func aShiftCarriedOnWithoutAGapIsNotANewStart() async throws {
        let world = try World()
        try world.contactMethod("cm_bob_sms", user: "bob")
        // Bob covers 08:30–09:00 by override, then his rotation turn follows at 09:00.
        try world.fixtures.override("o-bob", schedule: "soc", "add", add: "bob", from: utc("2026-11-03T08:30:00Z"), to: utc("2026-11-03T09:00:00Z"))
        world.at("2026-11-03T08:30:00Z")
        world.at("2026-11-03T09:00:00Z")
        world.at("2026-11-03T09:10:00Z")
        let messages = try world.messages()
        #expect(messages.count == 1)
        #expect(messages.first?.body == "Your on-call shift on SOC starts now, until Wed 4 Nov 09:00 GMT.")
    }

    @Test func runReportsTheNextNoticeWithinTheHorizon() throws {
        let world = try World()
        let step = ShiftNoticeStep(database: world.server.application.database, logger: Logger(label: "test"), changes: ScheduleChangeSignal())
        // Next: bob's reminder at 08:00 (reminders are scheduled whether or not anyone opted in).
        #expect(try step.run(at: utc("2026-11-03T05:00:00Z")) == utc("2026-11-03T08:00:00Z"))
        #expect(try step.run(at: utc("2026-11-03T08:30:00Z")) == utc("2026-11-03T09:00:00Z"))
        // More than 6 hours before the next reminder (2026-11-04 08:00): nothing to report.
        #expect(try step.run(at: utc("2026-11-03T09:30:00Z")) == nil)
    }

    @Test func textsUseTheUsersTimeZone() {
        let oslo = TimeZone(identifier: "Europe/Oslo")!
        let text = ShiftNoticeText(kind: .reminder, scheduleName: "SOC", start: utc("2026-11-03T09:00:00Z"), end: nil, timeZone: oslo)
        #expect(text.body.hasPrefix("Your on-call shift on SOC starts in 1 hour at Tue 3 Nov 10:00 "))
        #expect(text.body.hasSuffix(", until further notice."))
    }
}
