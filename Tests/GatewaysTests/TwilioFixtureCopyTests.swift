import Foundation
import Testing

/// The fixture copies in `TwilioFixtures` are the shared originals, byte for byte (checked when
/// the shared directory sits next to the repository, as in the team's workspace).
@Suite struct TwilioFixtureCopyTests {
    static let sharedDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/providers/twilio")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedDirectory.path)))
    func copiesMatchTheSharedFixtures() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.sharedDirectory.path).sorted()
        #expect(names == TwilioFixtures.files.keys.sorted())
        for name in names {
            let original = try Data(contentsOf: Self.sharedDirectory.appendingPathComponent(name))
            #expect(Array(original) == TwilioFixtures.bytes(name), "\(name)")
        }
    }
}
