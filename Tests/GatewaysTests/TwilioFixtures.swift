import Foundation

/// The shared Twilio fixtures (../shared/fixtures/providers/twilio: hand-written payloads,
/// signatures computed with twilio 9.13.0).
enum TwilioFixtures {
    /// The Auth Token every signed fixture was signed with.
    static let authToken = "02509860a76422650dfe0baed95e4389"

    static let directory = SharedFixtures.directory("twilio")

    static func bytes(_ file: String) -> [UInt8] {
        let url = directory.appendingPathComponent(file)
        // Fixed files every Twilio test is built on: without them nothing here can be checked.
        guard let data = try? Data(contentsOf: url) else { fatalError("no fixture at \(url.path)") }
        return Array(data)
    }

    static func text(_ file: String) -> String { String(decoding: bytes(file), as: UTF8.self) }

    static func json(_ file: String) -> Any {
        // The fixtures are fixed text; a parse failure is a broken fixture.
        try! JSONSerialization.jsonObject(with: Data(bytes(file)))
    }
}
