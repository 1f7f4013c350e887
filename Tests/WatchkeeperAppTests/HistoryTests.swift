import Foundation
import Logging
import Testing
@testable import WatchkeeperApp

@Suite struct HistoryTests {
    let server: TestServer
    let viewer: String
    let fixtures: ScheduleFixtures

    init() throws {
        server = try TestServer()
        // These tests drive the recorder by hand at chosen instants (and run a second one, as
        // after a restart); the engine's own passes would race them with other instants. Stopped
        // before the schedules exist, so no pass of its own can have recorded them at start-up time.
        server.application.engine.stop()
        viewer = try server.key(.viewer)
        fixtures = ScheduleFixtures(database: server.application.database)
        try fixtures.soc()
    }

    private var recorder: OnCallHistoryStep { server.application.onCall.recorder }

    private func history(_ schedule: String, from: String, to: String) async throws -> [String] {
        let reply = try await server.request("GET", "/api/v1/schedules/\(schedule)/history?from=\(from)&to=\(to)", token: viewer)
        #expect(reply.status == 200)
        return try #require(reply.object["intervals"] as? [[String: Any]]).map { interval in
            "\(interval["userId"] as? String ?? "?") \(interval["start"] as? String ?? "?")–\(interval["end"] as? String ?? "open")"
        }
    }

    /// Moves the clock to the instant the recorder said the answer changes next, and records.
    private func advanceToNextChange(after next: Date) throws -> Date {
        server.time.set(next)
        return try recorder.recordNow()
    }

    @Test func recordsChangesAsTheClockMovesAndEditsDoNotRewriteThePast() async throws {
        server.time.set(utc("2026-11-03T10:00:00Z"))
        var next = try recorder.recordNow()
        var wakeUps: [Date] = []
        while next <= utc("2026-11-04T09:00:00Z") {
            wakeUps.append(next)
            next = try advanceToNextChange(after: next)
        }
        // carol's override starts and ends, dave's window closes, two wake-ups at the 6-hour
        // horizon, then the handoff to alice (and dave's next window).
        #expect(wakeUps == ["2026-11-03T12:00:00Z", "2026-11-03T14:00:00Z", "2026-11-03T17:00:00Z", "2026-11-03T23:00:00Z",
                            "2026-11-04T05:00:00Z", "2026-11-04T09:00:00Z"].map(utc))

        let recorded = [
            "bob 2026-11-03T10:00:00Z–2026-11-04T09:00:00Z",
            "carol 2026-11-03T12:00:00Z–2026-11-03T14:00:00Z",
            "alice 2026-11-04T09:00:00Z–open",
        ]
        #expect(try await history("soc", from: "2026-11-03T00:00:00Z", to: "2026-11-05T00:00:00Z") == recorded)
        #expect(try await history("weekday", from: "2026-11-03T00:00:00Z", to: "2026-11-05T00:00:00Z") == [
            "dave 2026-11-03T10:00:00Z–2026-11-03T17:00:00Z",
            "dave 2026-11-04T09:00:00Z–open",
        ])

        // An edit after the fact: SOC now always names carol, and the 3rd has no override.
        server.time.set(utc("2026-11-04T10:00:00Z"))
        try fixtures.replaceRule("r-primary", user: "carol")
        try fixtures.deletePart("o-carol")
        server.application.scheduleChanges.notify()
        try recorder.recordNow()

        let shifts = try await server.request("GET", "/api/v1/schedules/soc/shifts?from=2026-11-03T00:00:00Z&to=2026-11-04T00:00:00Z", token: viewer)
        #expect((shifts.object["shifts"] as? [[String: Any]])?.map { $0["userId"] as? String } == ["carol"])
        #expect(try await history("soc", from: "2026-11-03T00:00:00Z", to: "2026-11-05T00:00:00Z") == [
            "bob 2026-11-03T10:00:00Z–2026-11-04T09:00:00Z",
            "carol 2026-11-03T12:00:00Z–2026-11-03T14:00:00Z",
            "alice 2026-11-04T09:00:00Z–2026-11-04T10:00:00Z",
            "carol 2026-11-04T10:00:00Z–open",
        ])
    }

    @Test func historyRangeSelectsOverlappingIntervals() async throws {
        server.time.set(utc("2026-11-03T10:00:00Z"))
        try recorder.recordNow()
        server.time.set(utc("2026-11-03T12:00:00Z"))
        try recorder.recordNow()
        server.time.set(utc("2026-11-03T14:00:00Z"))
        try recorder.recordNow()
        #expect(try await history("soc", from: "2026-11-03T14:00:00Z", to: "2026-11-03T15:00:00Z") == ["bob 2026-11-03T10:00:00Z–open"])
        #expect(try await history("soc", from: "2026-11-03T13:59:00Z", to: "2026-11-03T15:00:00Z") == [
            "bob 2026-11-03T10:00:00Z–open", "carol 2026-11-03T12:00:00Z–2026-11-03T14:00:00Z",
        ])
        #expect(try await history("soc", from: "2026-11-02T00:00:00Z", to: "2026-11-03T10:00:00Z").isEmpty)
    }

    @Test func aRestartClosesWhatEndedWhileTheServerWasDown() async throws {
        server.time.set(utc("2026-11-04T10:00:00Z"))
        try recorder.recordNow()  // alice's turn
        // A second recorder on the same database, as after a restart, on bob's day.
        let clock = ManualTimeSource(utc("2026-11-05T12:00:00Z"))
        let restarted = OnCallHistoryStep(database: server.application.database, time: clock, logger: Logger(label: "test"), changes: ScheduleChangeSignal())
        try restarted.recordNow()
        #expect(try await history("soc", from: "2026-11-04T00:00:00Z", to: "2026-11-06T00:00:00Z") == [
            "alice 2026-11-04T10:00:00Z–2026-11-05T12:00:00Z",
            "bob 2026-11-05T12:00:00Z–open",
        ])
        // Still on call after another restart: the open row continues, no duplicate.
        try restarted.recordNow()
        #expect(try await history("soc", from: "2026-11-04T00:00:00Z", to: "2026-11-06T00:00:00Z").count == 2)
    }

    @Test func theEngineRecordsOnAScheduleChange() async throws {
        let server = try TestServer()
        let viewer = try server.key(.viewer)
        try ScheduleFixtures(database: server.application.database).soc()
        func history(_ schedule: String, from: String, to: String) async throws -> [String] {
            let reply = try await server.request("GET", "/api/v1/schedules/\(schedule)/history?from=\(from)&to=\(to)", token: viewer)
            return (reply.object["intervals"] as? [[String: Any]] ?? []).map { "\($0["userId"] as? String ?? "?") \($0["start"] as? String ?? "?")–\($0["end"] as? String ?? "open")" }
        }
        server.time.set(utc("2026-11-03T10:00:00Z"))
        // The engine started with Application.start(); a schedule change (or the clock moving) wakes it.
        server.application.scheduleChanges.notify()
        var rows: [String] = []
        for _ in 0..<100 where rows.isEmpty {
            try await Task.sleep(for: .milliseconds(20))
            rows = try await history("soc", from: "2026-11-03T00:00:00Z", to: "2026-11-04T00:00:00Z")
        }
        #expect(rows == ["bob 2026-11-03T10:00:00Z–open"])
    }

    @Test func stoppingTheEngineEndsItsThreadPromptly() {
        let clock = ManualTimeSource(utc("2026-11-03T10:00:00Z"))
        let engine = PagingEngine(time: clock, logger: Logger(label: "test"))
        engine.add(OnCallHistoryStep(database: server.application.database, time: clock, logger: Logger(label: "test"), changes: ScheduleChangeSignal()))
        engine.start()
        let started = ContinuousClock.now
        engine.stop()
        #expect(ContinuousClock.now - started < .seconds(5))
        engine.stop()  // idempotent
    }
}
