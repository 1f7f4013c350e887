import Foundation

/// Locations the tests read, found from this file's path so `swift test` works from any directory.
enum TestPaths {
    /// The package root: this file is `<root>/Tests/CryptographyTests/TestPaths.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures` next to the package root.
    static let sharedFixtures = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared").appendingPathComponent("fixtures")

    /// Parses a JSON fixture below `sharedFixtures` into a dictionary.
    static func jsonFixture(_ relativePath: String) throws -> [String: Any] {
        let data = try Data(contentsOf: sharedFixtures.appendingPathComponent(relativePath))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError(message: "\(relativePath) is not a JSON object")
        }
        return object
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
