import Foundation
import HTTPServer
import Testing
@testable import WatchkeeperApp

/// The ingest answer is written by hand for speed; it must be the bytes `JSON.encoder` writes for the same fields.
@Suite struct IngestResultEncodingTests {
    static let awkward = [
        "", "plain", "quote \" and backslash \\", "slash / stays", "line\nbreak\r\ttab", "\u{08}\u{0C}\u{00}\u{01}\u{1F}\u{7F}",
        "ünïcødé ✓ 🚨", "<script>alert(1)</script>", "\u{2028}\u{2029}", "{\"dedup_key\": 1}",
    ]

    @Test(arguments: awkward)
    func handWrittenAnswerMatchesTheEncoder(_ text: String) throws {
        for alertId: String? in [nil, "alt_" + text] {
            let result = AlertStore.IngestResult(message: "Event processed " + text, dedupKey: text, alertId: alertId)
            let fields: [String: String?] = ["status": result.status, "message": result.message, "dedup_key": result.dedupKey, "alertId": alertId]
            let encoded = try JSON.encoder.encode(fields)
            #expect(result.json == Array(encoded), "\(String(decoding: result.json, as: UTF8.self)) vs \(String(decoding: encoded, as: UTF8.self))")
        }
    }
}
