import Foundation
import Synchronization
import Testing
@testable import WatchkeeperApp

@Suite struct RotationsTests {
    /// 2026-11-01T09:00Z, the anchor of `rotationBody`'s daily shifts.
    let anchor = Date(timeIntervalSince1970: 1_793_523_600)

    @Test func createReadReplaceDelete() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let bo = try await api.user("Bo")
        let created = try await api.send("POST", "/api/v1/rotations", api.rotationBody([ana, bo, ana]))
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.object["id"] as? String)
        #expect(id.hasPrefix("rot_"))
        #expect(created.header("Location") == "/api/v1/rotations/\(id)")
        #expect(created.object["advanceMode"] as? String == "byCalendar")
        #expect(created.object["participants"] as? [String] == [ana, bo, ana])

        let read = try await api.send("GET", "/api/v1/rotations/\(id)", token: api.viewer)
        #expect(read.status == 200 && read.header("ETag") == "\"1\"")
        #expect((read.object["shiftLength"] as? [String: Any])?["unit"] as? String == "days")

        var body = api.rotationBody([bo])
        body["shiftLength"] = ["count": 12, "unit": "hours"]
        body["advanceMode"] = "byActiveShift"
        let replaced = try await api.send("PUT", "/api/v1/rotations/\(id)", body, headers: ["If-Match": "\"1\""])
        #expect(replaced.status == 200, "\(replaced.text)")
        #expect(replaced.header("ETag") == "\"2\"")
        #expect(replaced.object["advanceMode"] as? String == "byActiveShift")
        let participants = try api.server.application.database.read { db in
            try db.query("SELECT user_id FROM rotation_participants WHERE rotation_id = ? ORDER BY position", [.text(id)]).map { try $0.get("user_id", as: String.self) }
        }
        #expect(participants == [bo])

        #expect(try await api.send("PUT", "/api/v1/rotations/\(id)", body, headers: ["If-Match": "\"1\""]).status == 412)
        #expect(try await api.send("DELETE", "/api/v1/rotations/\(id)", headers: ["If-Match": "\"2\""]).status == 204)
        #expect(try await api.send("GET", "/api/v1/rotations/\(id)").status == 404)
        #expect(try await api.send("PUT", "/api/v1/rotations/\(id)", body).status == 404)
    }

    @Test func emptyRotationAndOtherMistakesAreNamed() async throws {
        let api = try SchedulesAPIClient()
        var body = api.rotationBody([])
        body["timeZone"] = "Europe/Atlantis"
        body["shiftLength"] = ["count": 0, "unit": "days"]
        body["anchor"] = ["start": "2026-02-30T09:00", "participantIndex": 0]
        let reply = try await api.send("POST", "/api/v1/rotations", body)
        #expect(reply.status == 400)
        #expect(SchedulesAPIClient.fields(reply) == ["participants", "timeZone", "shiftLength.count", "anchor.start"])
    }

    @Test func missingUsersAreNamedByPosition() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let bo = try await api.user("Bo")
        let reply = try await api.send("POST", "/api/v1/rotations", api.rotationBody([ana, bo, "usr_gone", ana], index: 4))
        #expect(reply.status == 400)
        #expect(SchedulesAPIClient.fields(reply) == ["participants.2", "anchor.participantIndex"])
        #expect(reply.text.contains("no user usr_gone"))
    }

    @Test func malformedMembersAreNamed() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        var body = api.rotationBody([ana])
        body["shiftLength"] = ["count": 1, "unit": "fortnights"]
        let unit = try await api.send("POST", "/api/v1/rotations", body)
        #expect(unit.status == 400)
        #expect(SchedulesAPIClient.fields(unit) == ["shiftLength.unit"])

        body = api.rotationBody([ana])
        body["anchor"] = ["start": "2026-11-01 09:00", "participantIndex": 0]
        let start = try await api.send("POST", "/api/v1/rotations", body)
        #expect(start.status == 400)
        #expect(SchedulesAPIClient.fields(start) == ["anchor.start"])

        body = api.rotationBody([ana])
        body["anchor"] = ["start": "2026-11-01T09:00", "participantIndex": 0, "participant": 1]
        let unknown = try await api.send("POST", "/api/v1/rotations", body)
        #expect(unknown.status == 400)
        #expect(SchedulesAPIClient.fields(unknown) == ["anchor.participant"])
    }

    @Test func reorderingParticipantsKeepsWhoIsOnCallNow() async throws {
        let api = try SchedulesAPIClient()
        let (a, b, c) = (try await api.user("A"), try await api.user("B"), try await api.user("C"))
        let id = try await api.create("/api/v1/rotations", api.rotationBody([a, b, c]))
        func onCall() async throws -> String? {
            let reply = try await api.send("GET", "/api/v1/rotations/\(id)/on-call")
            return (reply.object["onCall"] as? [[String: Any]])?.first?["userId"] as? String
        }

        // Day 1 of the rotation (B's turn); moving the list left would hand it to C.
        api.server.time.set(anchor.addingTimeInterval(86_400 * 1.5))
        #expect(try await onCall() == b)
        let reordered = try await api.send("PUT", "/api/v1/rotations/\(id)", api.rotationBody([b, c, a]))
        #expect(reordered.status == 200, "\(reordered.text)")
        #expect(try await onCall() == b)
        // Handoffs continue in the new order.
        api.server.time.advance(by: 86_400)
        #expect(try await onCall() == c)

        // Removing the person on call hands the turn to the next one who remains.
        #expect(try await api.send("PUT", "/api/v1/rotations/\(id)", api.rotationBody([a, b])).status == 200)
        #expect(try await onCall() == a)

        // Asked not to keep: the anchor index sent is stored as is.
        var body = api.rotationBody([a, c, b], index: 0)
        body["keepCurrentOnCall"] = false
        let literal = try await api.send("PUT", "/api/v1/rotations/\(id)", body)
        #expect(literal.status == 200)
        #expect((literal.object["anchor"] as? [String: Any])?["participantIndex"] as? Int == 0)
        #expect(try await onCall() == b) // day 2 of a rotation anchored at index 0 of [A, C, B]; keeping would have kept A
        #expect(literal.object["keepCurrentOnCall"] == nil)
    }

    @Test func keepingOnCallAlsoHoldsWhenTheGridChanges() async throws {
        let api = try SchedulesAPIClient()
        let (a, b, c) = (try await api.user("A"), try await api.user("B"), try await api.user("C"))
        let id = try await api.create("/api/v1/rotations", api.rotationBody([a, b, c]))
        api.server.time.set(anchor.addingTimeInterval(86_400 * 2.25)) // C's day
        var body = api.rotationBody([c, a, b], anchor: "2026-10-01T21:00")
        body["shiftLength"] = ["count": 8, "unit": "hours"]
        #expect(try await api.send("PUT", "/api/v1/rotations/\(id)", body).status == 200)
        let reply = try await api.send("GET", "/api/v1/rotations/\(id)/on-call")
        #expect((reply.object["onCall"] as? [[String: Any]])?.first?["userId"] as? String == c)
    }

    @Test func keepCurrentOnCallBelongsToReplacementsOnly() async throws {
        let api = try SchedulesAPIClient()
        let a = try await api.user("A")
        var body = api.rotationBody([a])
        body["keepCurrentOnCall"] = true
        let create = try await api.send("POST", "/api/v1/rotations", body)
        #expect(create.status == 400)
        #expect(SchedulesAPIClient.fields(create) == ["keepCurrentOnCall"])

        let id = try await api.rotation([a])
        body["keepCurrentOnCall"] = "no"
        let wrongType = try await api.send("PUT", "/api/v1/rotations/\(id)", body)
        #expect(wrongType.status == 400)
        #expect(SchedulesAPIClient.fields(wrongType) == ["keepCurrentOnCall"])
    }

    @Test func deletingARotationUsedByARuleIs409() async throws {
        let api = try SchedulesAPIClient()
        let a = try await api.user("A")
        let rotation = try await api.rotation([a])
        let schedule = try await api.schedule()
        let rule = try await api.create("/api/v1/schedules/\(schedule)/rules", ["target": ["kind": "rotation", "id": rotation]])
        let blocked = try await api.send("DELETE", "/api/v1/rotations/\(rotation)")
        #expect(blocked.status == 409)
        #expect(blocked.text.contains("rule \(rule) of schedule \(schedule)"))
        #expect(try await api.send("DELETE", "/api/v1/schedules/\(schedule)/rules/\(rule)").status == 204)
        #expect(try await api.send("DELETE", "/api/v1/rotations/\(rotation)").status == 204)
    }

    @Test func writesSignalScheduleChangesOnlyWhenCommitted() async throws {
        let api = try SchedulesAPIClient()
        let count = Counter()
        api.server.application.scheduleChanges.subscribe { count.increment() }
        let a = try await api.user("A")
        #expect(count.value == 0) // users do not change who is on call
        let id = try await api.rotation([a])
        #expect(count.value == 1)
        #expect(try await api.send("PUT", "/api/v1/rotations/\(id)", api.rotationBody([])).status == 400)
        #expect(count.value == 1)
        #expect(try await api.send("PUT", "/api/v1/rotations/\(id)", api.rotationBody([a, a])).status == 200)
        #expect(try await api.send("DELETE", "/api/v1/rotations/\(id)").status == 204)
        #expect(count.value == 3)
    }
}

/// Counts notifications from any thread.
final class Counter: Sendable {
    private let storage = Mutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var value: Int { storage.withLock { $0 } }
}
