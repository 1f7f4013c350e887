import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct PaginationTests {
    @Test func pagesCoverTheCollectionOnceInIdOrder() async throws {
        let api = try SchedulesAPIClient()
        var created: [String] = []
        for index in 0..<7 { created.append(try await api.user("User\(index)")) }

        var seen: [String] = []
        var sizes: [Int] = []
        var cursor: String?
        repeat {
            let query = "/api/v1/users?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
            let reply = try await api.send("GET", query, token: api.viewer)
            #expect(reply.status == 200)
            let items = try #require(reply.object["items"] as? [[String: Any]])
            sizes.append(items.count)
            seen += items.compactMap { $0["id"] as? String }
            #expect(reply.object.keys.contains("nextCursor"))
            cursor = reply.object["nextCursor"] as? String
        } while cursor != nil && sizes.count < 10

        #expect(sizes == [3, 3, 1])
        #expect(seen == created.sorted())
        #expect(Set(seen).count == 7)
    }

    @Test func aFullLastPageEndsWithANullCursor() async throws {
        let api = try SchedulesAPIClient()
        for index in 0..<4 { _ = try await api.user("User\(index)") }
        let first = try await api.send("GET", "/api/v1/users?limit=2")
        let cursor = try #require(first.object["nextCursor"] as? String)
        let second = try await api.send("GET", "/api/v1/users?limit=2&cursor=\(cursor)")
        #expect((second.object["items"] as? [Any])?.count == 2)
        #expect(second.object["nextCursor"] is NSNull)
        let all = try await api.send("GET", "/api/v1/users")
        #expect((all.object["items"] as? [Any])?.count == 4)
        #expect(all.object["nextCursor"] is NSNull)
    }

    @Test func badLimitsAndCursorsAre400NamingTheParameter() async throws {
        let api = try SchedulesAPIClient()
        let schedule = try await api.schedule()
        for limit in ["0", "501", "ten", "-1", ""] {
            let reply = try await api.send("GET", "/api/v1/users?limit=\(limit)")
            #expect(reply.status == 400, "limit=\(limit)")
            #expect(SchedulesAPIClient.fields(reply) == ["limit"])
        }
        #expect(try await api.send("GET", "/api/v1/users?limit=500").status == 200)
        // Not base64url; and a valid cursor of another collection.
        let scheduleCursor = PageRequest.cursor(after: schedule)
        for cursor in ["%2B%2B%2B", "Zm9v", scheduleCursor] {
            let reply = try await api.send("GET", "/api/v1/users?cursor=\(cursor)")
            #expect(reply.status == 400, "cursor=\(cursor)")
            #expect(SchedulesAPIClient.fields(reply) == ["cursor"])
        }
    }

    @Test func scopedListsPageWithinTheirSchedule() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let mine = try await api.schedule()
        let theirs = try await api.schedule("Theirs")
        var created: [String] = []
        for day in 1...5 {
            let body: [String: Any] = ["start": "2026-12-0\(day)T00:00:00Z", "end": "2026-12-0\(day)T12:00:00Z", "action": "add", "addUserId": ana]
            created.append(try await api.create("/api/v1/schedules/\(mine)/overrides", body))
            _ = try await api.create("/api/v1/schedules/\(theirs)/overrides", body)
        }
        var seen: [String] = []
        var cursor: String?
        for _ in 0..<5 {
            let reply = try await api.send("GET", "/api/v1/schedules/\(mine)/overrides?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            seen += (reply.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            cursor = reply.object["nextCursor"] as? String
            if cursor == nil { break }
        }
        #expect(seen == created.sorted())
    }
}
