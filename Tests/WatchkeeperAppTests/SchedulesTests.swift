import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct SchedulesTests {
    @Test func createReadReplaceDelete() async throws {
        let api = try SchedulesAPIClient()
        let created = try await api.send("POST", "/api/v1/schedules", ["name": "SOC", "timeZone": "Europe/Oslo", "description": "Tier 1"])
        #expect(created.status == 201)
        let id = try #require(created.object["id"] as? String)
        #expect(id.hasPrefix("sch_"))
        #expect(created.header("Location") == "/api/v1/schedules/\(id)")
        #expect(created.object["description"] as? String == "Tier 1")

        let read = try await api.send("GET", "/api/v1/schedules/\(id)", token: api.viewer)
        #expect(read.status == 200 && read.header("ETag") == "\"1\"")
        #expect(read.object["timeZone"] as? String == "Europe/Oslo")

        let replaced = try await api.send("PUT", "/api/v1/schedules/\(id)", ["name": "SOC nights", "timeZone": "Asia/Kolkata"], headers: ["If-Match": "\"1\""])
        #expect(replaced.status == 200)
        #expect(replaced.object["description"] == nil)
        #expect(replaced.object["name"] as? String == "SOC nights")
        #expect(try await api.send("PUT", "/api/v1/schedules/\(id)", ["name": "x", "timeZone": "UTC"], headers: ["If-Match": "\"1\""]).status == 412)
        #expect(try await api.send("GET", "/api/v1/schedules/\(id)").object["name"] as? String == "SOC nights")

        #expect(try await api.send("DELETE", "/api/v1/schedules/\(id)").status == 204)
        #expect(try await api.send("GET", "/api/v1/schedules/\(id)").status == 404)
    }

    @Test func unknownZoneAndTyposAreNamed() async throws {
        let api = try SchedulesAPIClient()
        let zone = try await api.send("POST", "/api/v1/schedules", ["name": "SOC", "timeZone": "Europe/Osl"])
        #expect(zone.status == 400)
        #expect(SchedulesAPIClient.fields(zone) == ["timeZone"])
        let typo = try await api.send("POST", "/api/v1/schedules", ["name": "SOC", "timezone": "Europe/Oslo"])
        #expect(typo.status == 400)
        #expect(SchedulesAPIClient.fields(typo) == ["timezone"])
        let missing = try await api.send("POST", "/api/v1/schedules", ["timeZone": "UTC"])
        #expect(missing.status == 400)
        #expect(SchedulesAPIClient.fields(missing) == ["name"])
    }

    @Test func deletingAScheduleDeletesItsParts() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let bo = try await api.user("Bo")
        let rotation = try await api.rotation([ana])
        let schedule = try await api.schedule()
        let other = try await api.schedule("Other")
        _ = try await api.create("/api/v1/schedules/\(schedule)/rules", ["target": ["kind": "rotation", "id": rotation]])
        _ = try await api.create("/api/v1/schedules/\(schedule)/overrides", [
            "start": "2026-12-01T00:00:00Z", "end": "2026-12-02T00:00:00Z", "action": "replace", "addUserId": bo, "removeUserId": ana,
        ])
        _ = try await api.create("/api/v1/schedules/\(schedule)/temporary-schedules", [
            "start": "2026-12-24T00:00:00Z", "end": "2026-12-27T00:00:00Z",
            "shifts": [["start": "2026-12-24T00:00:00Z", "end": "2026-12-25T00:00:00Z", "userId": bo]],
        ])
        let kept = try await api.create("/api/v1/schedules/\(other)/rules", ["target": ["kind": "user", "id": ana]])
        #expect(try await api.send("POST", "/api/v1/schedules/\(schedule)/calendar-token").status == 200)

        #expect(try await api.send("DELETE", "/api/v1/schedules/\(schedule)").status == 204)
        for collection in ["rules", "overrides", "temporary-schedules"] {
            #expect(try await api.send("GET", "/api/v1/schedules/\(schedule)/\(collection)").status == 404)
        }
        let counts = try api.server.application.database.read { db in
            (try db.query("SELECT id FROM schedule_parts WHERE schedule_id = ?", [.text(schedule)]).count,
             try db.query("SELECT part_id FROM schedule_part_references").count,
             try db.query("SELECT subject_id FROM calendar_feeds WHERE subject_id = ?", [.text(schedule)]).count)
        }
        #expect(counts.0 == 0)
        #expect(counts.1 == 1) // only the other schedule's rule still names anyone
        #expect(counts.2 == 0)
        // Nothing refers to Bo or the rotation any more.
        #expect(try await api.send("DELETE", "/api/v1/users/\(bo)").status == 204)
        #expect(try await api.send("DELETE", "/api/v1/rotations/\(rotation)").status == 204)
        #expect(try await api.send("GET", "/api/v1/schedules/\(other)/rules/\(kept)").status == 200)
    }

    @Test func theOnCallEndpointsReadWhatTheCRUDRoutesWrite() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let bo = try await api.user("Bo")
        let schedule = try await api.schedule(timeZone: "UTC")
        _ = try await api.create("/api/v1/schedules/\(schedule)/rules", ["target": ["kind": "user", "id": ana]])
        _ = try await api.create("/api/v1/schedules/\(schedule)/overrides", [
            "start": "2026-11-18T00:00:00Z", "end": "2026-11-19T00:00:00Z", "action": "replace", "addUserId": bo, "removeUserId": ana,
        ])
        let now = try await api.send("GET", "/api/v1/schedules/\(schedule)/on-call")
        #expect(now.status == 200, "\(now.text)")
        #expect((now.object["onCall"] as? [[String: Any]])?.compactMap { $0["userId"] as? String } == [bo])
        let later = try await api.send("GET", "/api/v1/schedules/\(schedule)/on-call?at=2026-11-20T00:00:00Z")
        #expect((later.object["onCall"] as? [[String: Any]])?.compactMap { $0["userId"] as? String } == [ana])
    }

    @Test func viewersCannotWrite() async throws {
        let api = try SchedulesAPIClient()
        #expect(try await api.send("POST", "/api/v1/schedules", ["name": "SOC", "timeZone": "UTC"], token: api.viewer).status == 403)
        #expect(try await api.server.request("POST", "/api/v1/schedules", json: ["name": "SOC", "timeZone": "UTC"]).status == 401)
        let id = try await api.schedule()
        #expect(try await api.send("DELETE", "/api/v1/schedules/\(id)", token: api.viewer).status == 403)
        #expect(try await api.send("GET", "/api/v1/schedules", token: api.viewer).status == 200)
    }
}
