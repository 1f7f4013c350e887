import Foundation
import HTTPServer
import Testing
@testable import WatchkeeperApp

@Suite struct CalendarFeedTests {
    let server: TestServer
    let admin: String
    let viewer: String

    init() throws {
        server = try TestServer()
        admin = try server.key(.admin)
        viewer = try server.key(.viewer)
        try ScheduleFixtures(database: server.application.database).soc()
    }

    /// The path and query of a feed URL returned by the token call.
    private func issue(_ subject: String) async throws -> String {
        let reply = try await server.request("POST", "/api/v1/\(subject)/calendar-token", token: admin)
        #expect(reply.status == 200)
        let url = try #require(reply.object["url"] as? String)
        let base = server.application.configuration.publicURL
        #expect(url.hasPrefix(base + "/api/v1/\(subject)/calendar.ics?token=wkcal_"))
        return String(url.dropFirst(base.count))
    }

    /// Content lines unfolded (RFC 5545 §3.1), each event as a property map.
    private func events(_ text: String) -> [[String: String]] {
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        var result: [[String: String]] = []
        var current: [String: String]?
        for line in unfolded.components(separatedBy: "\r\n") {
            if line == "BEGIN:VEVENT" { current = [:] } else if line == "END:VEVENT", let event = current {
                result.append(event)
                current = nil
            } else if current != nil, let colon = line.firstIndex(of: ":") {
                current?[String(line[..<colon])] = String(line[line.index(after: colon)...])
            }
        }
        return result
    }

    private func ics(_ date: String) -> String {
        date.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }

    @Test func scheduleFeedMatchesTheShiftsEndpoint() async throws {
        let path = try await issue("schedules/soc")
        let feed = try await server.request("GET", path)
        #expect(feed.status == 200)
        #expect(feed.header("Content-Type") == "text/calendar; charset=utf-8")
        #expect(feed.text.hasPrefix("BEGIN:VCALENDAR\r\n") && feed.text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!feed.text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF")
        for line in feed.text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }

        let range = CalendarFeedBuilder.range(now: server.time.now())
        let shifts = try await server.request(
            "GET", "/api/v1/schedules/soc/shifts?from=\(rfc3339Query(range.lowerBound))&to=\(rfc3339Query(range.upperBound))", token: viewer)
        let expected = try #require(shifts.object["shifts"] as? [[String: Any]]).map { shift in
            "\(ics(shift["start"] as! String)) \(ics(shift["end"] as! String)) On call: \(shift["userName"] as! String)"
        }
        let events = events(feed.text)
        #expect(events.count > 100)
        #expect(events.map { "\($0["DTSTART"] ?? "") \($0["DTEND"] ?? "") \($0["SUMMARY"] ?? "")" } == expected)
        #expect(Set(events.compactMap { $0["UID"] }).count == events.count)
        #expect(events.allSatisfy { $0["DTSTART"]?.hasSuffix("Z") == true && $0["DTEND"]?.hasSuffix("Z") == true })
    }

    @Test func uidsAreStableAcrossRegenerations() async throws {
        let path = try await issue("schedules/soc")
        let first = events(try await server.request("GET", path).text).compactMap { $0["UID"] }
        server.time.advance(by: 3600)
        let second = events(try await server.request("GET", path).text).compactMap { $0["UID"] }
        #expect(!first.isEmpty)
        #expect(first == second)
    }

    @Test func userFeedNamesTheSchedules() async throws {
        let path = try await issue("users/dave")
        let feed = try await server.request("GET", path)
        #expect(feed.status == 200)
        let events = events(feed.text)
        #expect(events.contains { $0["SUMMARY"] == "On call: Weekday" && $0["DTSTART"] == "20261102T090000Z" && $0["DTEND"] == "20261102T170000Z" })
        // The feed reaches 30 days back from 2026-11-18, so dave's override in SOC is in it.
        #expect(events.filter { $0["SUMMARY"] == "On call: SOC" }.map { $0["DTSTART"] } == ["20261102T200000Z"])
        #expect(!events.contains { $0["SUMMARY"] == "On call: Weekday" && $0["DTSTART"] == "20261107T090000Z" })  // a Saturday
        #expect(feed.text.contains("X-WR-CALNAME:On call: Dave Diaz\r\n"))
    }

    @Test func rotatingTheTokenRetiresTheOldURL() async throws {
        let old = try await issue("schedules/soc")
        let new = try await issue("schedules/soc")
        #expect(old != new)
        #expect(try await server.request("GET", old).status == 404)
        #expect(try await server.request("GET", new).status == 200)
    }

    @Test func revokingTheTokenRetiresTheURL() async throws {
        let path = try await issue("users/dave")
        #expect(try await server.request("DELETE", "/api/v1/users/dave/calendar-token", token: admin).status == 204)
        #expect(try await server.request("GET", path).status == 404)
        #expect(try await server.request("DELETE", "/api/v1/users/dave/calendar-token", token: admin).status == 404)
    }

    @Test func missingWrongOrMisplacedTokensAllLookTheSame() async throws {
        let soc = try await issue("schedules/soc")
        let token = String(soc[soc.range(of: "token=")!.upperBound...])
        let attempts = [
            "/api/v1/schedules/soc/calendar.ics",
            "/api/v1/schedules/soc/calendar.ics?token=wkcal_wrong",
            "/api/v1/schedules/soc/calendar.ics?token=\(token.dropLast())",
            "/api/v1/schedules/weekday/calendar.ics?token=\(token)",  // another schedule's token
            "/api/v1/users/soc/calendar.ics?token=\(token)",
            "/api/v1/schedules/nope/calendar.ics?token=\(token)",
        ]
        var bodies = Set<String>()
        for path in attempts {
            let reply = try await server.request("GET", path)
            #expect(reply.status == 404, "\(path)")
            bodies.insert(reply.text)
        }
        #expect(bodies.count == 1, "the answers differ: \(bodies)")
    }

    @Test func tokenCallsNeedAdminAndAnExistingSubject() async throws {
        #expect(try await server.request("POST", "/api/v1/schedules/soc/calendar-token", token: viewer).status == 403)
        #expect(try await server.request("POST", "/api/v1/schedules/soc/calendar-token").status == 401)
        #expect(try await server.request("POST", "/api/v1/schedules/nope/calendar-token", token: admin).status == 404)
        #expect(try await server.request("POST", "/api/v1/users/nope/calendar-token", token: admin).status == 404)
    }

    @Test func onlyTheHashOfATokenIsStored() async throws {
        let path = try await issue("schedules/soc")
        let token = String(path[path.range(of: "token=")!.upperBound...])
        let stored = try server.application.database.read { db in
            try db.query("SELECT token_hash FROM calendar_feeds").map { try $0.get("token_hash", as: [UInt8].self) }
        }
        #expect(stored.count == 1)
        #expect(stored[0].count == 32)
        #expect(!String(decoding: stored[0], as: UTF8.self).contains(token))
    }

    @Test func escapingAndFoldingSurviveLongNames() {
        let name = "Nacht, Wochenende; Bereitschaft \\ Überwachung – " + String(repeating: "ü", count: 60)
        let feed = ICalendarFeed(name: name, events: [.init(uid: "u@watchkeeper", start: utc("2026-11-03T09:00:00Z"), end: utc("2026-11-04T09:00:00Z"), summary: "On call: \(name)")],
                                 generatedAt: utc("2026-11-03T00:00:00Z"))
        let text = feed.render()
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        let summary = events(text).first?["SUMMARY"]
        #expect(summary == "On call: Nacht\\, Wochenende\\; Bereitschaft \\\\ Überwachung – " + String(repeating: "ü", count: 60))
        #expect(text.contains("DTSTART:20261103T090000Z\r\n"))
    }
}

private func rfc3339Query(_ date: Date) -> String {
    RFC3339.format(date).replacingOccurrences(of: "+", with: "%2B")
}
