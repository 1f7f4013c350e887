import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct SchedulePartsTests {
    @Test func ruleCreateReadReplaceDelete() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let rotation = try await api.rotation([ana])
        let schedule = try await api.schedule()
        let base = "/api/v1/schedules/\(schedule)/rules"
        let created = try await api.send("POST", base, [
            "target": ["kind": "rotation", "id": rotation],
            "windows": [["days": ["monday", "friday"], "start": "22:00", "end": "06:00"]],
        ])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.object["id"] as? String)
        #expect(id.hasPrefix("rul_"))
        #expect(created.header("Location") == "\(base)/\(id)")
        #expect(created.object["scheduleId"] as? String == schedule)

        let read = try await api.send("GET", "\(base)/\(id)", token: api.viewer)
        #expect(read.status == 200 && read.header("ETag") == "\"1\"")
        #expect(((read.object["windows"] as? [[String: Any]])?.first?["end"] as? String) == "06:00")

        let replaced = try await api.send("PUT", "\(base)/\(id)", ["target": ["kind": "user", "id": ana], "scheduleId": schedule], headers: ["If-Match": "\"1\""])
        #expect(replaced.status == 200, "\(replaced.text)")
        #expect((replaced.object["windows"] as? [Any])?.isEmpty == true)
        #expect(try await api.send("PUT", "\(base)/\(id)", ["target": ["kind": "user", "id": ana]], headers: ["If-Match": "\"1\""]).status == 412)
        let otherSchedule = try await api.send("PUT", "\(base)/\(id)", ["target": ["kind": "user", "id": ana], "scheduleId": "sch_other"])
        #expect(otherSchedule.status == 400)
        #expect(SchedulesAPIClient.fields(otherSchedule) == ["scheduleId"])

        // Released by the replacement, the rotation may go.
        #expect(try await api.send("DELETE", "/api/v1/rotations/\(rotation)").status == 204)
        #expect(try await api.send("DELETE", "\(base)/\(id)").status == 204)
        #expect(try await api.send("GET", "\(base)/\(id)").status == 404)
    }

    @Test func ruleValidationNamesFields() async throws {
        let api = try SchedulesAPIClient()
        let schedule = try await api.schedule()
        let base = "/api/v1/schedules/\(schedule)/rules"
        let window = try await api.send("POST", base, [
            "target": ["kind": "user", "id": "usr_nobody"],
            "windows": [["days": ["monday"], "start": "09:00", "end": "17:00"], ["days": [], "start": "08:00", "end": "08:00"]],
        ])
        #expect(window.status == 400)
        #expect(SchedulesAPIClient.fields(window) == ["windows.1.days", "windows.1.end", "target.id"])

        let rotation = try await api.send("POST", base, ["target": ["kind": "rotation", "id": "rot_nothing"]])
        #expect(rotation.status == 400)
        #expect(SchedulesAPIClient.fields(rotation) == ["target.id"])
        #expect(rotation.text.contains("no rotation rot_nothing"))

        let time = try await api.send("POST", base, ["target": ["kind": "user", "id": "x"], "windows": [["days": ["monday"], "start": "9am", "end": "17:00"]]])
        #expect(time.status == 400)
        #expect(SchedulesAPIClient.fields(time) == ["windows.0.start"])

        let day = try await api.send("POST", base, ["target": ["kind": "team", "id": "x"]])
        #expect(SchedulesAPIClient.fields(day) == ["target.kind"])

        let typo = try await api.send("POST", base, ["target": ["kind": "user", "id": "x"], "windows": [["days": ["monday"], "begin": "09:00", "start": "09:00", "end": "10:00"]]])
        #expect(SchedulesAPIClient.fields(typo) == ["windows.0.begin"])
        let list = try await api.send("GET", base)
        #expect((list.object["items"] as? [Any])?.isEmpty == true)
    }

    @Test func partsBelongToTheirSchedule() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let first = try await api.schedule()
        let second = try await api.schedule("Second")
        let rule = try await api.create("/api/v1/schedules/\(first)/rules", ["target": ["kind": "user", "id": ana]])
        #expect(try await api.send("GET", "/api/v1/schedules/\(second)/rules/\(rule)").status == 404)
        #expect(try await api.send("DELETE", "/api/v1/schedules/\(second)/rules/\(rule)").status == 404)
        #expect(try await api.send("GET", "/api/v1/schedules/\(first)/overrides/\(rule)").status == 404)
        let noSchedule = try await api.send("POST", "/api/v1/schedules/sch_missing/rules", ["target": ["kind": "user", "id": ana]])
        #expect(noSchedule.status == 404)
        #expect(noSchedule.text.contains("no schedule sch_missing"))
        #expect(try await api.send("GET", "/api/v1/schedules/sch_missing/overrides").status == 404)
    }

    @Test func overrideCreateReplaceDeleteAndValidation() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let bo = try await api.user("Bo")
        let schedule = try await api.schedule()
        let base = "/api/v1/schedules/\(schedule)/overrides"

        let backwards = try await api.send("POST", base, ["start": "2026-12-02T00:00:00Z", "end": "2026-12-02T00:00:00Z", "action": "add", "addUserId": ana])
        #expect(backwards.status == 400)
        #expect(SchedulesAPIClient.fields(backwards) == ["end"])
        let incomplete = try await api.send("POST", base, ["start": "2026-12-01T00:00:00Z", "end": "2026-12-02T00:00:00Z", "action": "replace", "addUserId": "usr_ghost"])
        #expect(SchedulesAPIClient.fields(incomplete) == ["removeUserId", "addUserId"])
        let badDate = try await api.send("POST", base, ["start": "tomorrow", "end": "2026-12-02T00:00:00Z", "action": "add", "addUserId": ana])
        #expect(SchedulesAPIClient.fields(badDate) == ["start"])

        let created = try await api.send("POST", base, ["start": "2026-12-01T00:00:00+01:00", "end": "2026-12-02T00:00:00Z", "action": "remove", "removeUserId": ana])
        #expect(created.status == 201, "\(created.text)")
        #expect(created.object["start"] as? String == "2026-11-30T23:00:00Z")
        let id = try #require(created.object["id"] as? String)
        #expect(id.hasPrefix("ovr_"))
        let span = try api.server.application.database.read { db in
            try db.queryOne("SELECT start_at, end_at FROM schedule_parts WHERE id = ?", [.text(id)])
        }
        #expect(try span?.get("start_at", as: Int64.self) == 1_796_079_600_000)

        let replaced = try await api.send("PUT", "\(base)/\(id)", ["start": "2026-12-01T00:00:00Z", "end": "2026-12-03T00:00:00Z", "action": "replace",
                                                                   "addUserId": bo, "removeUserId": ana], headers: ["If-Match": "\"1\""])
        #expect(replaced.status == 200, "\(replaced.text)")
        #expect(try await api.send("DELETE", "\(base)/\(id)", headers: ["If-Match": "\"1\""]).status == 412)
        #expect(try await api.send("DELETE", "\(base)/\(id)", headers: ["If-Match": "\"2\""]).status == 204)
    }

    @Test func overridesListFiltersByOverlap() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let schedule = try await api.schedule()
        let base = "/api/v1/schedules/\(schedule)/overrides"
        var ids: [String: String] = [:]
        for (name, start, end) in [("nov", "2026-11-10", "2026-11-12"), ("dec", "2026-12-01", "2026-12-05"), ("jan", "2027-01-01", "2027-01-02")] {
            ids[name] = try await api.create(base, ["start": "\(start)T00:00:00Z", "end": "\(end)T00:00:00Z", "action": "add", "addUserId": ana])
        }
        func listed(_ query: String) async throws -> Set<String> {
            let reply = try await api.send("GET", base + query)
            #expect(reply.status == 200, "\(reply.text)")
            return Set((reply.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        }
        #expect(try await listed("") == Set(ids.values))
        // Half-open spans: the November override ends exactly at `from`, so it does not overlap.
        #expect(try await listed("?from=2026-11-12T00:00:00Z&to=2026-12-01T00:00:01Z") == [ids["dec"]!])
        #expect(try await listed("?from=2026-12-04T00:00:00Z") == [ids["dec"]!, ids["jan"]!])
        #expect(try await listed("?to=2026-12-01T00:00:00Z") == [ids["nov"]!])

        let bad = try await api.send("GET", base + "?from=yesterday")
        #expect(bad.status == 400)
        #expect(SchedulesAPIClient.fields(bad) == ["from"])
        let reversed = try await api.send("GET", base + "?from=2026-12-04T00:00:00Z&to=2026-12-01T00:00:00Z")
        #expect(SchedulesAPIClient.fields(reversed) == ["to"])
    }

    @Test func temporaryScheduleCreateReplaceDeleteAndValidation() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let bo = try await api.user("Bo")
        let schedule = try await api.schedule(timeZone: "UTC")
        let base = "/api/v1/schedules/\(schedule)/temporary-schedules"
        let invalid = try await api.send("POST", base, [
            "start": "2026-12-24T00:00:00Z", "end": "2026-12-26T00:00:00Z",
            "shifts": [["start": "2026-12-23T00:00:00Z", "end": "2026-12-24T12:00:00Z", "userId": ana],
                       ["start": "2026-12-25T00:00:00Z", "end": "2026-12-25T00:00:00Z", "userId": ana],
                       ["start": "2026-12-25T00:00:00Z", "end": "2026-12-26T00:00:00Z", "userId": "usr_ghost"]],
        ])
        #expect(invalid.status == 400)
        #expect(SchedulesAPIClient.fields(invalid) == ["shifts.0", "shifts.1.end", "shifts.2.userId"])

        let body: [String: Any] = [
            "start": "2026-11-18T00:00:00Z", "end": "2026-11-20T00:00:00Z",
            "shifts": [["start": "2026-11-18T00:00:00Z", "end": "2026-11-18T12:00:00Z", "userId": ana],
                       ["start": "2026-11-18T12:00:00Z", "end": "2026-11-19T00:00:00Z", "userId": bo]],
        ]
        let created = try await api.send("POST", base, body)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.object["id"] as? String)
        #expect(id.hasPrefix("tmp_"))
        // The server's clock is 2026-11-18T11:06:40Z: Ana's temporary shift.
        let onCall = try await api.send("GET", "/api/v1/schedules/\(schedule)/on-call")
        #expect((onCall.object["onCall"] as? [[String: Any]])?.compactMap { $0["userId"] as? String } == [ana])

        var shorter = body
        shorter["shifts"] = [["start": "2026-11-18T00:00:00Z", "end": "2026-11-18T12:00:00Z", "userId": bo]]
        let replaced = try await api.send("PUT", "\(base)/\(id)", shorter, headers: ["If-Match": "\"1\""])
        #expect(replaced.status == 200)
        #expect(try await api.send("DELETE", "/api/v1/users/\(ana)").status == 204) // no longer referenced
        #expect(try await api.send("DELETE", "\(base)/\(id)").status == 204)
        #expect(try await api.send("GET", "\(base)/\(id)").status == 404)
    }
}
