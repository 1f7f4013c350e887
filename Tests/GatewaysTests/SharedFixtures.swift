import Foundation

/// ../shared/fixtures/providers, beside the repository (as in CI and the team's workspace).
enum SharedFixtures {
    static let providers = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/providers")

    static func directory(_ provider: String) -> URL { providers.appendingPathComponent(provider) }
}
