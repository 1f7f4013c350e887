import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct OnCallTests {
    let server: TestServer
    let viewer: String

    init() throws {
        server = try TestServer()
        viewer = try server.key(.viewer)
        try ScheduleFixtures(database: server.application.database).soc()
    }

    @Test func scheduleOnCallListsUsersWithReasons() async throws {
        let reply = try await server.request("GET", "/api/v1/schedules/soc/on-call?at=2026-11-03T13:00:00Z", token: viewer)
        #expect(reply.status == 200)
        #expect(reply.object["scheduleId"] as? String == "soc")
        #expect(reply.object["scheduleName"] as? String == "SOC")
        #expect(reply.object["at"] as? String == "2026-11-03T13:00:00Z")
        let onCall = try #require(reply.object["onCall"] as? [[String: Any]])
        #expect(onCall.map { $0["userId"] as? String } == ["bob", "carol"])
        #expect(onCall.map { $0["userName"] as? String } == ["Bob Brown", "Carol Chen"])
        let bob = try #require(onCall[0]["reasons"] as? [[String: Any]])
        #expect(bob.count == 1)
        #expect(bob[0]["kind"] as? String == "rule")
        #expect(bob[0]["ruleId"] as? String == "r-primary")
        #expect(bob[0]["rotationId"] as? String == "primary")
        #expect(bob[0]["participantIndex"] as? Int == 1)
        let carol = try #require(onCall[1]["reasons"] as? [[String: Any]])
        #expect(carol[0]["kind"] as? String == "override")
        #expect(carol[0]["overrideId"] as? String == "o-carol")
        #expect(carol[0]["overrideAction"] as? String == "add")
    }

    @Test func overrideEndIsExclusive() async throws {
        let reply = try await server.request("GET", "/api/v1/schedules/soc/on-call?at=2026-11-03T14:00:00Z", token: viewer)
        let onCall = try #require(reply.object["onCall"] as? [[String: Any]])
        #expect(onCall.map { $0["userId"] as? String } == ["bob"])
    }

    @Test func onCallDefaultsToTheServersNow() async throws {
        // The test clock stands at 2026-11-18T11:06:40Z: 16 days after alice's first turn, so hers.
        server.time.set(utc("2026-11-18T11:06:40Z"))
        let reply = try await server.request("GET", "/api/v1/schedules/soc/on-call", token: viewer)
        #expect(reply.status == 200)
        #expect(reply.object["at"] as? String == "2026-11-18T11:06:40Z")
        #expect((reply.object["onCall"] as? [[String: Any]])?.map { $0["userId"] as? String } == ["alice"])
    }

    @Test func onCallAcceptsAnOffset() async throws {
        // 14:30+01:00 is 13:30Z, inside carol's override; `+` must be percent-encoded in a query.
        let reply = try await server.request("GET", "/api/v1/schedules/soc/on-call?at=2026-11-03T14:30:00%2B01:00", token: viewer)
        #expect(reply.object["at"] as? String == "2026-11-03T13:30:00Z")
        #expect((reply.object["onCall"] as? [[String: Any]])?.count == 2)
    }

    @Test func windowedScheduleHasNobodyOutsideItsWindows() async throws {
        let reply = try await server.request("GET", "/api/v1/schedules/weekday/on-call?at=2026-11-07T10:00:00Z", token: viewer)  // a Saturday
        #expect(reply.status == 200)
        #expect((reply.object["onCall"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func rotationOnCallGivesTheWholeShift() async throws {
        let reply = try await server.request("GET", "/api/v1/rotations/primary/on-call?at=2026-11-03T13:00:00Z", token: viewer)
        #expect(reply.status == 200)
        #expect(reply.object["rotationName"] as? String == "Primary")
        let onCall = try #require(reply.object["onCall"] as? [[String: Any]])
        #expect(onCall.count == 1)
        #expect(onCall[0]["userId"] as? String == "bob")
        #expect(onCall[0]["userName"] as? String == "Bob Brown")
        #expect(onCall[0]["participantIndex"] as? Int == 1)
        #expect(onCall[0]["start"] as? String == "2026-11-03T09:00:00Z")
        #expect(onCall[0]["end"] as? String == "2026-11-04T09:00:00Z")
    }

    @Test func unknownIdsAre404() async throws {
        for path in ["/api/v1/schedules/nope/on-call", "/api/v1/rotations/nope/on-call",
                     "/api/v1/schedules/nope/shifts?from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z",
                     "/api/v1/rotations/nope/shifts?from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z",
                     "/api/v1/users/nope/shifts?from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z",
                     "/api/v1/schedules/nope/history?from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z"] {
            let reply = try await server.request("GET", path, token: viewer)
            #expect(reply.status == 404, "\(path)")
            #expect(reply.header("Content-Type") == "application/problem+json", "\(path)")
        }
    }

    @Test func badInstantIs400NamingTheParameter() async throws {
        let reply = try await server.request("GET", "/api/v1/schedules/soc/on-call?at=yesterday", token: viewer)
        #expect(reply.status == 400)
        let errors = try #require(reply.object["errors"] as? [[String: Any]])
        #expect(errors.first?["field"] as? String == "at")
        let rotation = try await server.request("GET", "/api/v1/rotations/primary/on-call?at=2026-11-03T13:00:00", token: viewer)  // no zone
        #expect(rotation.status == 400)
    }

    @Test func onCallNeedsAnAPIKey() async throws {
        let reply = try await server.request("GET", "/api/v1/schedules/soc/on-call")
        #expect(reply.status == 401)
    }
}
