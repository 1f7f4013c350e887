import Foundation
import HTTPServer
import Logging

/// One loopback server playing Entra ID (`authorityURL`) and ARM (`armURL`) for a cloud, the way
/// tests and the sync engineer's model test use them. `armPath`/`authorityPath` put each under a
/// prefix, as sovereign clouds have their own hosts.
public final class FakeAzureCloud: Sendable {
    public let entra: FakeEntraID
    public let arm: FakeARM
    private let server: HTTPServer
    private let authorityPath: String

    public init(spec: IncidentsSpec? = nil, armPath: String = "", authorityPath: String = "") throws {
        entra = FakeEntraID()
        arm = FakeARM(entra: entra, spec: try spec ?? IncidentsSpec.load(), pathPrefix: armPath)
        self.authorityPath = authorityPath
        var router = Router()
        entra.register(on: &router, prefix: authorityPath)
        arm.register(on: &router)
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.eventLoopCount = 1
        server = HTTPServer(configuration: configuration, responder: router, logger: Logger(label: "fake-azure") { _ in SwiftLogNoOpLogHandler() })
        try server.start()
        entra.acceptScope("\(armURL)/.default")
    }

    public var port: Int { server.localPort }
    /// e.g. `http://127.0.0.1:4711` (or `…/usgov-arm` with a path).
    public var armURL: String { "http://127.0.0.1:\(port)\(arm.pathPrefix)" }
    public var authorityURL: String { "http://127.0.0.1:\(port)\(authorityPath)" }

    /// Registers an app in `workspace`'s tenant and the workspace itself.
    public func add(_ workspace: FakeARM.Workspace, clientId: String, clientSecret: String) {
        entra.register(.init(tenantId: workspace.tenantId, clientId: clientId, clientSecret: clientSecret))
        arm.addWorkspace(workspace)
    }

    public func shutdown() { server.shutdown() }

    /// A fixture from ../shared/fixtures/sentinel as a JSON object.
    public static func fixture(_ name: String) throws -> [String: Any] {
        let url = IncidentsSpec.defaultDirectory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/sentinel/\(name)")
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }
}
