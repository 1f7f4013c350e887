import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct ShiftsTests {
    let server: TestServer
    let viewer: String

    init() throws {
        server = try TestServer()
        viewer = try server.key(.viewer)
        try ScheduleFixtures(database: server.application.database).soc()
    }

    private func intervals(_ items: Any?, user: Bool = true) throws -> [String] {
        let list = try #require(items as? [[String: Any]])
        return list.map { item in
            let who = user ? (item["userId"] as? String ?? "?") + " " : ""
            return who + "\(item["start"] as? String ?? "?")–\(item["end"] as? String ?? "?")"
        }
    }

    @Test func scheduleShiftsAreMergedPerUserWithReasons() async throws {
        let reply = try await server.request("GET", "/api/v1/schedules/soc/shifts?from=2026-11-02T00:00:00Z&to=2026-11-04T00:00:00Z", token: viewer)
        #expect(reply.status == 200)
        #expect(reply.object["from"] as? String == "2026-11-02T00:00:00Z")
        #expect(try intervals(reply.object["shifts"]) == [
            "bob 2026-11-02T00:00:00Z–2026-11-02T09:00:00Z",
            "alice 2026-11-02T09:00:00Z–2026-11-03T09:00:00Z",
            "dave 2026-11-02T20:00:00Z–2026-11-02T22:00:00Z",
            "bob 2026-11-03T09:00:00Z–2026-11-04T00:00:00Z",
            "carol 2026-11-03T12:00:00Z–2026-11-03T14:00:00Z",
        ])
        let shifts = try #require(reply.object["shifts"] as? [[String: Any]])
        #expect(shifts[1]["userName"] as? String == "Alice Adams")
        let reasons = try #require(shifts[1]["reasons"] as? [[String: Any]])
        #expect(reasons.first?["rotationId"] as? String == "primary")
        #expect(reasons.first?["participantIndex"] as? Int == 0)
        #expect((shifts[2]["reasons"] as? [[String: Any]])?.first?["overrideId"] as? String == "o-dave")
        #expect((reply.object["gaps"] as? [Any])?.isEmpty == true)
    }

    @Test func scheduleShiftsListGapsExplicitly() async throws {
        let reply = try await server.request("GET", "/api/v1/schedules/weekday/shifts?from=2026-11-06T00:00:00Z&to=2026-11-10T00:00:00Z", token: viewer)
        #expect(reply.status == 200)
        // Friday 6th, the weekend, Monday 9th.
        #expect(try intervals(reply.object["shifts"]) == [
            "dave 2026-11-06T09:00:00Z–2026-11-06T17:00:00Z",
            "dave 2026-11-09T09:00:00Z–2026-11-09T17:00:00Z",
        ])
        #expect(try intervals(reply.object["gaps"], user: false) == [
            "2026-11-06T00:00:00Z–2026-11-06T09:00:00Z",
            "2026-11-06T17:00:00Z–2026-11-09T09:00:00Z",
            "2026-11-09T17:00:00Z–2026-11-10T00:00:00Z",
        ])
    }

    @Test func temporaryScheduleReplacesRulesAndItsGapsShow() async throws {
        let fixtures = ScheduleFixtures(database: server.application.database)
        try fixtures.temporary("t-1", schedule: "soc", from: utc("2026-11-05T00:00:00Z"), to: utc("2026-11-06T00:00:00Z"),
                               shifts: [(utc("2026-11-05T00:00:00Z"), utc("2026-11-05T08:00:00Z"), "carol")])
        let reply = try await server.request("GET", "/api/v1/schedules/soc/shifts?from=2026-11-05T00:00:00Z&to=2026-11-06T00:00:00Z", token: viewer)
        #expect(try intervals(reply.object["shifts"]) == ["carol 2026-11-05T00:00:00Z–2026-11-05T08:00:00Z"])
        #expect(try intervals(reply.object["gaps"], user: false) == ["2026-11-05T08:00:00Z–2026-11-06T00:00:00Z"])
        let reasons = (reply.object["shifts"] as? [[String: Any]])?.first?["reasons"] as? [[String: Any]]
        #expect(reasons?.first?["temporaryScheduleId"] as? String == "t-1")
    }

    @Test func rotationShiftsAreItsTurns() async throws {
        let reply = try await server.request("GET", "/api/v1/rotations/primary/shifts?from=2026-11-02T00:00:00Z&to=2026-11-04T00:00:00Z", token: viewer)
        #expect(reply.status == 200)
        #expect(try intervals(reply.object["shifts"]) == [
            "bob 2026-11-02T00:00:00Z–2026-11-02T09:00:00Z",
            "alice 2026-11-02T09:00:00Z–2026-11-03T09:00:00Z",
            "bob 2026-11-03T09:00:00Z–2026-11-04T00:00:00Z",
        ])
        #expect((reply.object["shifts"] as? [[String: Any]])?.map { $0["participantIndex"] as? Int } == [1, 0, 1])
    }

    @Test func userShiftsSpanEverySchedule() async throws {
        let reply = try await server.request("GET", "/api/v1/users/dave/shifts?from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z", token: viewer)
        #expect(reply.status == 200)
        #expect(reply.object["userName"] as? String == "Dave Diaz")
        let shifts = try #require(reply.object["shifts"] as? [[String: Any]])
        #expect(shifts.map { "\($0["scheduleId"] as? String ?? "?") \($0["start"] as? String ?? "?")–\($0["end"] as? String ?? "?")" } == [
            "weekday 2026-11-02T09:00:00Z–2026-11-02T17:00:00Z",
            "soc 2026-11-02T20:00:00Z–2026-11-02T22:00:00Z",
        ])
        #expect(shifts.map { $0["scheduleName"] as? String } == ["Weekday", "SOC"])
        #expect((shifts[1]["reasons"] as? [[String: Any]])?.first?["kind"] as? String == "override")
    }

    @Test func userWithoutShiftsHasAnEmptyList() async throws {
        let reply = try await server.request("GET", "/api/v1/users/carol/shifts?from=2026-11-05T00:00:00Z&to=2026-11-06T00:00:00Z", token: viewer)
        #expect(reply.status == 200)
        #expect((reply.object["shifts"] as? [Any])?.isEmpty == true)
    }

    @Test(arguments: [
        ("to=2026-11-03T00:00:00Z", "from"),
        ("from=2026-11-02T00:00:00Z", "to"),
        ("from=2026-11-02&to=2026-11-03T00:00:00Z", "from"),
        ("from=2026-11-02T00:00:00Z&to=tomorrow", "to"),
        ("from=2026-11-03T00:00:00Z&to=2026-11-03T00:00:00Z", "to"),
        ("from=2026-11-03T00:00:00Z&to=2026-11-02T00:00:00Z", "to"),
        ("from=2026-01-01T00:00:00Z&to=2027-01-03T00:00:00Z", "to"),
    ])
    func badRangesAre400NamingTheParameter(query: String, field: String) async throws {
        for base in ["/api/v1/schedules/soc/shifts", "/api/v1/rotations/primary/shifts", "/api/v1/users/dave/shifts", "/api/v1/schedules/soc/history"] {
            let reply = try await server.request("GET", "\(base)?\(query)", token: viewer)
            #expect(reply.status == 400, "\(base)?\(query)")
            let errors = reply.object["errors"] as? [[String: Any]]
            #expect(errors?.first?["field"] as? String == field, "\(base)?\(query)")
        }
    }

    @Test func aRangeOf366DaysIsAllowed() async throws {
        let reply = try await server.request("GET", "/api/v1/schedules/soc/shifts?from=2026-01-01T00:00:00Z&to=2027-01-02T00:00:00Z", token: viewer)
        #expect(reply.status == 200)
    }
}
