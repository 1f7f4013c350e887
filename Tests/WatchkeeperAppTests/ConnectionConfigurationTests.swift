import Foundation
import Testing
@testable import WatchkeeperApp

/// Where the key that seals connection secrets comes from.
@Suite struct ConnectionConfigurationTests {
    static let key = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="

    @Test func fromTheEnvironmentOrAKeyFileOrNotAtAll() throws {
        #expect(try Configuration.resolve(flags: [:], environment: [:]).secretKey == nil)
        let fromEnvironment = try Configuration.resolve(flags: [:], environment: ["WATCHKEEPER_SECRET_KEY": Self.key])
        #expect(fromEnvironment.secretKey == (try ConnectionSecretKey(base64: Self.key)))
        #expect(!"\(fromEnvironment)".contains(Self.key))
        let fromFile = try Configuration.resolve(flags: [.secretKeyFile: "/etc/watchkeeper/key"], environment: [:]) { path in
            #expect(path == "/etc/watchkeeper/key")
            return Data((Self.key + "\n").utf8)
        }
        #expect(fromFile.secretKey == fromEnvironment.secretKey)
        #expect(throws: ConfigurationError.self) { try Configuration.resolve(flags: [:], environment: ["WATCHKEEPER_SECRET_KEY": "c2hvcnQ="]) }
        #expect(throws: ConfigurationError.self) {
            try Configuration.resolve(flags: [.secretKeyFile: "/missing"], environment: [:]) { _ in throw CocoaError(.fileNoSuchFile) }
        }
    }
}
