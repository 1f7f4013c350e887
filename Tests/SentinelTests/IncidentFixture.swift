import Foundation

/// The shared Sentinel fixtures (`../shared/fixtures/sentinel/` next to the package).
enum IncidentFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/fixtures/sentinel")

    static func data(_ name: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(name)) }

    /// The fixture as a JSON object, to change before parsing it again.
    static func object(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try data(name)) as! [String: Any]
    }

    static func encode(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }
}
