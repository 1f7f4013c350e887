import Foundation
import HTTPServer
import Scheduling
import Storage
import Testing
@testable import WatchkeeperApp

/// The generic layer's pieces on their own: SQL scoping, field paths, the unknown-member check,
/// cursors and If-Match.
@Suite struct ResourceTableTests {
    @Test func scopedTablesSeeOnlyTheirKindAndParent() async throws {
        let api = try SchedulesAPIClient()
        let first = try await api.schedule()
        let second = try await api.schedule("Second")
        let ana = try await api.user("Ana")
        let rule = try await api.create("/api/v1/schedules/\(first)/rules", ["target": ["kind": "user", "id": ana]])
        let override = try await api.create("/api/v1/schedules/\(first)/overrides",
                                            ["start": "2026-12-01T00:00:00Z", "end": "2026-12-02T00:00:00Z", "action": "add", "addUserId": ana])
        let rules = SchedulePartTable.table(kind: "rule", spanned: false)
        let found = try api.server.application.database.read { db in
            (try rules.fetch(id: rule, parentId: first, db: db)?.version,
             try rules.fetch(id: rule, parentId: second, db: db),
             try rules.fetch(id: override, parentId: first, db: db),
             try rules.page(parentId: first, after: nil, limit: 10, filter: .none, db: db).map(\.id),
             try rules.parentExists("sch_missing", db: db))
        }
        #expect(found.0 == 1)
        #expect(found.1 == nil)
        #expect(found.2 == nil)
        #expect(found.3 == [rule])
        #expect(found.4 == false)
    }

    @Test func validatorPathsBecomeBodyPaths() {
        #expect(FieldPath.apiPath("participants[2]") == "participants.2")
        #expect(FieldPath.apiPath("anchor.participantIndex") == "anchor.participantIndex")
        #expect(FieldPath.apiPath("rules[0].windows[1].end", under: "rules[0]") == "windows.1.end")
        #expect(FieldPath.apiPath("temporarySchedules[0].shifts[3]", under: "temporarySchedules[0]") == "shifts.3")
        #expect(FieldPath.apiPath("rules[10].target.id", under: "rules[1]") == nil)
        #expect(FieldPath.apiPath("timeZone", under: "rules[0]") == nil)
        let errors = FieldPath.fieldErrors([ValidationError(field: "overrides[0].end", message: "must be after start")], under: "overrides[0]")
        #expect(errors == [ProblemDetails.FieldError(field: "end", detail: "must be after start")])
    }

    @Test func unknownMembersAreFoundThroughReferencesAndArrays() {
        let check = SchemaFieldCheck(schemas: ScheduleSchemas.nested)
        let schema = ScheduleRuleResource().schema.request
        let body: JSONValue = [
            "target": ["kind": "user", "id": "u", "name": "x"],
            "windows": [["days": ["monday"], "start": "09:00", "end": "10:00"], ["days": [], "start": "1", "end": "2", "tz": "UTC"]],
            "id": "rul_x", "createdAt": "2026-01-01T00:00:00Z", "extra": 1,
        ]
        #expect(check.unknownFields(in: body, schema: schema).map(\.field) == ["extra", "target.name", "windows.1.tz"])
        // Open schemas (no additionalProperties: false) accept anything.
        #expect(check.unknownFields(in: ["a": 1], schema: ["type": "object", "properties": [:]]).isEmpty)
        // A reference cycle ends instead of looping.
        let cyclic = SchemaFieldCheck(schemas: ["A": .ref("B"), "B": .ref("A")])
        #expect(cyclic.unknownFields(in: ["a": 1], schema: .ref("A")).isEmpty)
    }

    @Test func cursorsRoundTripAndRefuseGarbage() {
        let cursor = PageRequest.cursor(after: "usr_AbC-_123")
        #expect(!cursor.contains("=") && !cursor.contains("+") && !cursor.contains("/"))
        #expect(PageRequest.decodeCursor(cursor) == "usr_AbC-_123")
        #expect(PageRequest.decodeCursor("") == nil)
        #expect(PageRequest.decodeCursor("a") == nil)
        #expect(PageRequest.decodeCursor("__8") == nil) // not UTF-8
    }

    @Test func ifMatchComparesStrongly() throws {
        func request(_ values: [String]) -> HTTPRequest {
            var headers = HTTPHeaders()
            for value in values { headers.add("If-Match", value) }
            return HTTPRequest(head: HTTPRequestHead(method: .put, target: "/x", headers: headers))
        }
        #expect(try IfMatch(request([])) == nil)
        #expect(try IfMatch(request(["\"3\""]))?.isSatisfied(by: ETag("3")) == true)
        #expect(try IfMatch(request(["\"2\", \"3\""]))?.isSatisfied(by: ETag("3")) == true)
        #expect(try IfMatch(request(["\"2\"", "\"3\""]))?.isSatisfied(by: ETag("3")) == true)
        #expect(try IfMatch(request(["W/\"3\""]))?.isSatisfied(by: ETag("3")) == false)
        #expect(try IfMatch(request(["\"4\""]))?.isSatisfied(by: ETag("3")) == false)
        #expect(try IfMatch(request(["*"]))?.isSatisfied(by: ETag("9")) == true)
        #expect(throws: HTTPError.self) { try IfMatch(request(["3"])) }
    }

    @Test func representationAddsReadOnlyMembers() throws {
        let stored = StoredResource(id: "rul_1", parentId: "sch_1", parentMember: "scheduleId", version: 4,
                                    createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 60),
                                    value: ScheduleRule(id: "rul_1", target: .user("usr_1")))
        let json = try #require(try JSONSerialization.jsonObject(with: JSON.encoder.encode(stored)) as? [String: Any])
        #expect(Set(json.keys) == ["id", "target", "windows", "createdAt", "updatedAt", "scheduleId"])
        #expect(json["updatedAt"] as? String == "1970-01-01T00:01:00Z")
        #expect(stored.etag.description == "\"4\"")
    }
}
