import Foundation
import HTTPServer
import Logging

/// Everything `watchkeeper` needs to run. Each setting comes from, in order of precedence:
/// a command-line flag, a `WATCHKEEPER_*` environment variable, the JSON config file, the default.
public struct Configuration: Sendable, Equatable {
    public var listenHost: String = "127.0.0.1"
    public var listenPort: Int = 8080
    public var databasePath: String = "./data/watchkeeper.db"
    /// The externally visible base URL, used in links sent to people (ack links, calendar feeds).
    public var publicURL: String = "http://127.0.0.1:8080"
    /// True when no public URL was given and `publicURL` follows the listen address.
    public var publicURLIsDerived = true
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    public var logLevel: Logger.Level = .info
    /// The web console and pages; found beside the binary or in the working directory when unset.
    public var publicDirectory: String = "Public"
    /// The gateways file (docs/GATEWAYS.md); nil: every message goes to the console provider.
    public var gatewaysPath: String?
    /// Seals Sentinel connection secrets (docs/CONNECTIONS.md); nil: connections cannot be created.
    public var secretKey: ConnectionSecretKey?

    public init() {}

    /// A setting's names in each source: the flag, the environment variable, the config file key.
    public struct Setting: Sendable, Hashable {
        public let flag: String
        public var environment: String { "WATCHKEEPER_" + flag.uppercased().replacingOccurrences(of: "-", with: "_") }
        public var fileKey: String { flag }

        public static let listen = Setting(flag: "listen")
        public static let database = Setting(flag: "database")
        public static let publicURL = Setting(flag: "public-url")
        public static let tlsCert = Setting(flag: "tls-cert")
        public static let tlsKey = Setting(flag: "tls-key")
        public static let logLevel = Setting(flag: "log-level")
        public static let publicDir = Setting(flag: "public-dir")
        public static let config = Setting(flag: "config")
        public static let gateways = Setting(flag: "gateways")
        /// A file holding the secret key; the key itself comes only from WATCHKEEPER_SECRET_KEY, never a flag (ps would show it).
        public static let secretKeyFile = Setting(flag: "secret-key-file")

        public static let all: [Setting] = [.listen, .database, .publicURL, .tlsCert, .tlsKey, .logLevel, .publicDir, .gateways, .secretKeyFile]
    }

    /// Resolves the configuration from the three sources. `flags` holds only the flags given.
    /// `readFile` is injected so tests need no files.
    public static func resolve(
        flags: [Setting: String],
        environment: [String: String],
        readFile: (String) throws -> Data = { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    ) throws -> Configuration {
        var fileValues: [String: String] = [:]
        if let configPath = flags[.config] ?? environment[Setting.config.environment], !configPath.isEmpty {
            fileValues = try parseFile(path: configPath, readFile: readFile)
        }
        func value(_ setting: Setting) -> (String, String)? {
            if let v = flags[setting] { return (v, "--\(setting.flag)") }
            if let v = environment[setting.environment] { return (v, setting.environment) }
            if let v = fileValues[setting.fileKey] { return (v, "config file key \"\(setting.fileKey)\"") }
            return nil
        }

        var configuration = Configuration()
        var publicURLGiven = false
        if let (text, source) = value(.listen) {
            (configuration.listenHost, configuration.listenPort) = try parseListen(text, source: source)
        }
        if let (text, source) = value(.database) {
            guard !text.isEmpty else { throw ConfigurationError(source: source, message: "must not be empty") }
            configuration.databasePath = text
        }
        if let (text, source) = value(.publicURL) {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
                throw ConfigurationError(source: source, message: "\"\(text)\" is not an http(s) URL")
            }
            configuration.publicURL = text.hasSuffix("/") ? String(text.dropLast()) : text
            publicURLGiven = true
        }
        if let (text, _) = value(.tlsCert), !text.isEmpty { configuration.tlsCertificatePath = text }
        if let (text, _) = value(.tlsKey), !text.isEmpty { configuration.tlsKeyPath = text }
        if (configuration.tlsCertificatePath == nil) != (configuration.tlsKeyPath == nil) {
            throw ConfigurationError(source: "--tls-cert/--tls-key", message: "give both the certificate and the key, or neither")
        }
        if let (text, source) = value(.logLevel) {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError(source: source, message: "\"\(text)\" is not one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = level
        }
        if let (text, _) = value(.publicDir), !text.isEmpty { configuration.publicDirectory = text }
        if let (text, _) = value(.gateways), !text.isEmpty { configuration.gatewaysPath = text }
        if let text = environment["WATCHKEEPER_SECRET_KEY"], !text.isEmpty {
            do { configuration.secretKey = try ConnectionSecretKey(base64: text) } catch {
                throw ConfigurationError(source: "WATCHKEEPER_SECRET_KEY", message: "must be base64 of 32 random bytes (openssl rand -base64 32)")
            }
        } else if let (path, source) = value(.secretKeyFile), !path.isEmpty {
            let data: Data
            do { data = try readFile(path) } catch {
                throw ConfigurationError(source: source, message: "\(path) cannot be read (\(error.localizedDescription))")
            }
            do { configuration.secretKey = try ConnectionSecretKey(base64: String(decoding: data, as: UTF8.self)) } catch {
                throw ConfigurationError(source: source, message: "\(path) must hold base64 of 32 random bytes (openssl rand -base64 32)")
            }
        }
        configuration.publicURLIsDerived = !publicURLGiven
        if !publicURLGiven { configuration.derivePublicURL() }
        return configuration
    }

    /// The public URL from the listen address (an all-interfaces address becomes 127.0.0.1).
    mutating func derivePublicURL() {
        let scheme = tlsCertificatePath == nil ? "http" : "https"
        let host = ["0.0.0.0", "::", "[::]"].contains(listenHost) ? "127.0.0.1" : listenHost
        publicURL = "\(scheme)://\(host):\(listenPort)"
    }

    /// With port 0 (any free port) and no public URL given, links would say port 0: a free port
    /// is chosen now (as the server would) and the public URL follows it.
    public mutating func choosePortForDerivedPublicURL() throws {
        guard listenPort == 0, publicURLIsDerived else { return }
        do {
            listenPort = try HTTPServer.reserveFreePort(host: listenHost)
        } catch {
            throw StartupError("cannot find a free port on \(listenHost): \(error)")
        }
        derivePublicURL()
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces).
    static func parseListen(_ text: String, source: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":") else {
            throw ConfigurationError(source: source, message: "\"\(text)\" is not HOST:PORT")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ConfigurationError(source: source, message: "\"\(portText)\" is not a port number (0–65535)")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return (host, port)
    }

    static func parseFile(path: String, readFile: (String) throws -> Data) throws -> [String: String] {
        let data: Data
        do { data = try readFile(path) } catch {
            throw ConfigurationError(source: "config file \(path)", message: "cannot be read (\(error.localizedDescription))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigurationError(source: "config file \(path)", message: "is not a JSON object")
        }
        let known = Set(Setting.all.map(\.fileKey))
        var values: [String: String] = [:]
        for (key, raw) in object {
            guard known.contains(key) else {
                throw ConfigurationError(source: "config file \(path)", message: "unknown key \"\(key)\" (known: \(known.sorted().joined(separator: ", ")))")
            }
            switch raw {
            case let text as String: values[key] = text
            case let number as NSNumber: values[key] = number.stringValue
            default: throw ConfigurationError(source: "config file \(path)", message: "key \"\(key)\" must be a string")
            }
        }
        return values
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var source: String
    public var message: String
    public var description: String { "\(source): \(message)" }
}
