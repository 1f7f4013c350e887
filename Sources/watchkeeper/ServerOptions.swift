import ArgumentParser
import Foundation
import Logging
import WatchkeeperApp

/// The settings every subcommand shares. Each falls back to its `WATCHKEEPER_*` environment
/// variable, then to the JSON config file, then to the default.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on, HOST:PORT. Env WATCHKEEPER_LISTEN. Default 127.0.0.1:8080.")
    var listen: String?

    @Option(help: "SQLite database file (created if missing). Env WATCHKEEPER_DATABASE. Default ./data/watchkeeper.db.")
    var database: String?

    @Option(name: .customLong("public-url"), help: "Base URL people reach this server at, used in links. Env WATCHKEEPER_PUBLIC_URL. Default http://HOST:PORT of --listen.")
    var publicURL: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain; enables HTTPS together with --tls-key. Env WATCHKEEPER_TLS_CERT.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert. Env WATCHKEEPER_TLS_KEY.")
    var tlsKey: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. Env WATCHKEEPER_LOG_LEVEL. Default info.")
    var logLevel: String?

    @Option(name: .customLong("public-dir"), help: "Folder of the web console and pages. Env WATCHKEEPER_PUBLIC_DIR. Default ./Public.")
    var publicDir: String?

    @Option(help: "JSON file of SMS, voice, e-mail and webhook gateways (docs/GATEWAYS.md); without it messages go to the console. Env WATCHKEEPER_GATEWAYS.")
    var gateways: String?

    @Option(name: .customLong("secret-key-file"), help: "File holding base64 of 32 random bytes that seals Sentinel connection secrets (docs/CONNECTIONS.md). Env WATCHKEEPER_SECRET_KEY_FILE, or the key itself in WATCHKEEPER_SECRET_KEY.")
    var secretKeyFile: String?

    @Option(help: "JSON config file with any of the keys listen, database, public-url, tls-cert, tls-key, log-level, public-dir, gateways, secret-key-file. Env WATCHKEEPER_CONFIG.")
    var config: String?

    func resolve() throws -> Configuration {
        var flags: [Configuration.Setting: String] = [:]
        flags[.listen] = listen
        flags[.database] = database
        flags[.publicURL] = publicURL
        flags[.tlsCert] = tlsCert
        flags[.tlsKey] = tlsKey
        flags[.logLevel] = logLevel
        flags[.publicDir] = publicDir
        flags[.gateways] = gateways
        flags[.secretKeyFile] = secretKeyFile
        flags[.config] = config
        do {
            return try Configuration.resolve(flags: flags, environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    /// Sends log lines to standard error, so standard output stays for command results.
    func bootstrapLogging(_ configuration: Configuration) -> Logger {
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "watchkeeper")
    }
}
