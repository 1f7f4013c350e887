import Foundation
import Logging
import Testing
@testable import WatchkeeperApp

@Suite struct ConfigurationTests {
    @Test func defaults() throws {
        let configuration = try Configuration.resolve(flags: [:], environment: [:])
        #expect(configuration.listenHost == "127.0.0.1")
        #expect(configuration.listenPort == 8080)
        #expect(configuration.databasePath == "./data/watchkeeper.db")
        #expect(configuration.publicURL == "http://127.0.0.1:8080")
        #expect(configuration.logLevel == .info)
    }

    @Test func flagBeatsEnvironmentBeatsFile() throws {
        let file = Data(#"{"listen": "10.0.0.1:1000", "database": "/file.db", "log-level": "debug"}"#.utf8)
        let environment = ["WATCHKEEPER_CONFIG": "/etc/wk.json", "WATCHKEEPER_LISTEN": "127.0.0.2:2000"]
        let configuration = try Configuration.resolve(flags: [.database: "/flag.db"], environment: environment) { path in
            #expect(path == "/etc/wk.json")
            return file
        }
        #expect(configuration.listenHost == "127.0.0.2" && configuration.listenPort == 2000)
        #expect(configuration.databasePath == "/flag.db")
        #expect(configuration.logLevel == .debug)
    }

    @Test func listenForms() throws {
        #expect(try Configuration.parseListen("[::1]:9000", source: "x") == ("::1", 9000))
        #expect(try Configuration.parseListen(":9000", source: "x") == ("0.0.0.0", 9000))
        #expect(throws: ConfigurationError.self) { try Configuration.parseListen("localhost", source: "x") }
        #expect(throws: ConfigurationError.self) { try Configuration.parseListen("h:70000", source: "x") }
    }

    @Test func errorsNameTheirSource() {
        #expect(throws: ConfigurationError(source: "WATCHKEEPER_LOG_LEVEL", message: "\"loud\" is not one of trace, debug, info, notice, warning, error, critical")) {
            try Configuration.resolve(flags: [:], environment: ["WATCHKEEPER_LOG_LEVEL": "loud"])
        }
        #expect(throws: ConfigurationError.self) {
            try Configuration.resolve(flags: [.publicURL: "ftp://x"], environment: [:])
        }
        #expect(throws: ConfigurationError.self) {
            try Configuration.resolve(flags: [.tlsCert: "/cert.pem"], environment: [:])
        }
        #expect(throws: ConfigurationError.self) {
            try Configuration.resolve(flags: [.config: "/x.json"], environment: [:]) { _ in Data(#"{"nope": "1"}"#.utf8) }
        }
    }

    @Test func publicURLFollowsListenAndTLS() throws {
        let configuration = try Configuration.resolve(flags: [.listen: "0.0.0.0:9443", .tlsCert: "/c", .tlsKey: "/k"], environment: [:])
        #expect(configuration.publicURL == "https://127.0.0.1:9443")
        let given = try Configuration.resolve(flags: [.publicURL: "https://pager.example.com/"], environment: [:])
        #expect(given.publicURL == "https://pager.example.com")
    }
}
