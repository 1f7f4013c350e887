import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct IngestIndexTests {
    /// The partial UNIQUE index, not only the ingest code, refuses a second open alert per
    /// (service, dedup key), and lets a resolved one stay beside a new open one.
    @Test func theDatabaseRefusesTwoOpenAlertsForOneDedupKey() async throws {
        let api = try AlertsAPIClient()
        let service = try await api.service()
        let insert = """
            INSERT INTO alerts (id, service_id, dedup_key, summary, details, links, urgency, status, created_at, last_event_at, event_count)
            VALUES (?, ?, 'k', 's', '{}', '[]', 'high', ?, 0, 0, 1)
            """
        let database = api.server.application.database
        try database.write { db in try db.run(insert, [.text("alt_1"), .text(service), .text("resolved")]) }
        try database.write { db in try db.run(insert, [.text("alt_2"), .text(service), .text("triggered")]) }
        #expect(throws: (any Error).self) {
            try database.write { db in try db.run(insert, [.text("alt_3"), .text(service), .text("acknowledged")]) }
        }
        #expect(try api.count("alerts") == 2)
    }
}
