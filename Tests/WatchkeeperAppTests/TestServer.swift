import Foundation
import Gateways
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import WatchkeeperApp

/// The real application on an ephemeral loopback port with a fresh SQLite file.
final class TestServer: Sendable {
    let application: Application
    let directory: URL
    let time: ManualTimeSource
    let providers: [any MessageProvider]
    let gateways: (file: String, kinds: [any ConfigurableGateway.Type])?

    /// `providers`: where messages go; empty for the console provider. `gateways`: the text of a
    /// gateways file and the kinds it may name (docs/GATEWAYS.md), instead of `providers`.
    init(providers: [any MessageProvider] = [], gateways: (file: String, kinds: [any ConfigurableGateway.Type])? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wk-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        time = ManualTimeSource(Date(timeIntervalSince1970: 1_795_000_000))
        self.providers = providers
        self.gateways = gateways
        if let gateways { try Data(gateways.file.utf8).write(to: directory.appendingPathComponent("gateways.json")) }
        application = try Self.makeApplication(directory: directory, time: time, providers: providers, gatewayKinds: gateways?.kinds)
        try application.start()
    }

    /// A second server on the same database file (after `application.shutdown()`), as after a
    /// restart; the caller shuts it down.
    func restarted(time: ManualTimeSource) throws -> Application {
        let application = try Self.makeApplication(directory: directory, time: time, providers: providers, gatewayKinds: gateways?.kinds)
        try application.start()
        return application
    }

    private static func makeApplication(directory: URL, time: ManualTimeSource, providers: [any MessageProvider],
                                        gatewayKinds: [any ConfigurableGateway.Type]?) throws -> Application {
        var configuration = Configuration()
        if gatewayKinds != nil { configuration.gatewaysPath = directory.appendingPathComponent("gateways.json").path }
        configuration.listenPort = 0
        configuration.databasePath = directory.appendingPathComponent("test.db").path
        configuration.publicDirectory = TestServer.packageRoot.appendingPathComponent("Public").path
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try Application(configuration: configuration, logger: logger, time: time, providers: providers,
                               gatewayKinds: gatewayKinds ?? GatewayKinds.all)
    }

    deinit {
        application.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    var baseURL: String { "http://127.0.0.1:\(application.port)" }

    func key(_ role: Role, name: String = "test") throws -> String {
        try application.keys.create(name: name, role: role).secret
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    func request(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }
}
