import Foundation
import Gateways
import HTTPServer
import Logging
import Migrations
import OutboundHTTP
import Storage
import Synchronization

/// The whole server: the database (migrated), the routes and the HTTP listener.
public final class Application: Sendable {
    public let configuration: Configuration
    public let database: Database
    public let metrics: Metrics
    public let keys: APIKeyStore
    /// Sentinel connections, and the ARM clients built from them.
    public let connections: ConnectionStore
    /// Every route, for the OpenAPI completeness check.
    public let routes: [(method: HTTPMethod, pattern: String)]
    /// Built when first read (the first GET of /openapi.json), not at start.
    public var openAPI: OpenAPIDocument { lazyOpenAPI.document }
    let lazyOpenAPI: LazyOpenAPIDocument
    public let scheduleChanges = ScheduleChangeSignal()
    let onCall: OnCallModule
    /// Runs escalations, notification rules, ack timeouts, the outbox and shift notices.
    let engine: PagingEngine
    /// Where messages go: the gateways file's gateways, else those given, else the console provider.
    let providers: [any MessageProvider]
    /// What the gateways' inbound routes report to (SMS replies, key presses, delivery reports).
    let inbound: InboundPaging
    /// Sends the outbox's messages; its threads are stopped after the engine's.
    let outbox: OutboxStep
    /// Writes our changes to Sentinel and polls it back in, through `sentinelConnections`.
    let sentinelSync: SentinelSyncStep
    let sentinelPoll: SentinelPollStep
    let sentinelConnections = SentinelSyncConnectionSource()
    let server: HTTPServer
    let logger: Logger
    /// Held for the whole shutdown, so a second caller returns only once everything is closed.
    private let stopped = Mutex(false)

    /// Opens and migrates the database and builds the routes; `start()` begins listening.
    /// Throws `StartupError` with a message meant for the person starting the server.
    /// `gatewayKinds`: the kinds the gateways file may name (tests add scripted ones).
    public init(configuration: Configuration, logger: Logger, time: any TimeSource = SystemTimeSource(), tuning: ServerConfiguration? = nil,
                providers: [any MessageProvider] = [], gatewayKinds: [any ConfigurableGateway.Type] = GatewayKinds.all) throws {
        self.configuration = configuration
        self.logger = logger
        // The gateways first: a mistake in their file stops the start before anything is opened.
        let gateways = try configuration.gatewaysPath.map {
            try Self.loadGateways(path: $0, kinds: gatewayKinds,
                                  context: GatewayContext(publicURL: configuration.publicURL, http: HTTPClient(), logger: logger, now: { time.now() }))
        }
        let metrics = Metrics()
        self.metrics = metrics
        let database: Database
        do {
            database = try Database(path: configuration.databasePath, logger: logger) { seconds, jobs in
                metrics.observeDatabaseWrite(seconds: seconds, jobs: jobs)
            }
        } catch {
            throw StartupError("cannot open the database at \(configuration.databasePath): \(error)")
        }
        do {
            let applied = try database.migrate(embeddedMigrations)
            for migration in applied {
                logger.info("applied migration \(migration.version) \(migration.name)")
            }
        } catch {
            database.close()
            throw StartupError("database migration failed, not starting: \(error)")
        }
        self.database = database
        keys = APIKeyStore(database: database, time: time)
        connections = ConnectionStore(database: database, time: time, secretKey: configuration.secretKey, logger: logger)
        let engine = PagingEngine(time: time, logger: logger)
        self.engine = engine
        (time as? ManualTimeSource)?.subscribe { engine.wake() }
        let providers: [any MessageProvider] = gateways.map { $0.gateways } ?? providers
        self.providers = providers.isEmpty ? [ConsoleMessageProvider(database: database, time: time, logger: logger)] : providers
        // In this order, so one pass carries an alert from its step firing to its messages.
        engine.add(RetriggerStep(database: database))
        engine.add(EscalationStep(database: database))
        engine.add(NotificationStep(database: database))
        engine.add(ShiftNoticeStep(database: database, logger: logger, changes: scheduleChanges))
        scheduleChanges.subscribe { engine.wake() }
        let outbox = OutboxStep(database: database, routing: OutboxRouting(providers: self.providers, file: gateways?.file),
                                publicURL: configuration.publicURL, time: time, logger: logger, wake: { engine.wake() })
        inbound = InboundPaging(database: database, time: time, logger: logger, wake: { engine.wake() })
        self.outbox = outbox
        engine.add(outbox)
        let sentinel = try Self.sentinelSettings()
        sentinelSync = SentinelSyncStep(database: database, connections: sentinelConnections, time: time, logger: logger,
                                        defaultClassification: sentinel.classification, wake: { engine.wake() })
        sentinelPoll = SentinelPollStep(database: database, connections: sentinelConnections, time: time, logger: logger,
                                        interval: sentinel.pollInterval, firstPages: FirstPages(outbox: outbox, logger: logger), wake: { engine.wake() })
        engine.add(sentinelSync)
        engine.add(sentinelPoll)
        sentinelConnections.provider = SentinelSyncConnectionStore(store: connections)

        var serverConfiguration = tuning ?? ServerConfiguration()
        serverConfiguration.host = configuration.listenHost
        serverConfiguration.port = configuration.listenPort
        if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
            serverConfiguration.tls = TLSConfiguration(certificateChainPath: certificate, privateKeyPath: key)
        }

        let api = APIRouteBuilder(router: Router(), keys: keys, version: WatchkeeperVersion.current)
        // The server exists only after the routes are built, so the gauge reads it through a box.
        let serverBox = Mutex<HTTPServer?>(nil)
        // Set once the routes are built; the document is built and encoded on its first GET.
        let documentBox = Mutex<LazyOpenAPIDocument?>(nil)
        SystemRoutes.register(on: api, database: database, metrics: metrics,
                              openConnections: { serverBox.withLock { $0?.openConnections ?? 0 } },
                              document: { documentBox.withLock { $0 }?.encoded ?? [] })
        APIKeyRoutes.register(on: api, keys: keys)
        ConnectionRoutes.register(on: api, store: connections)
        ScheduleRoutes.register(on: api, database: database, time: time, changes: scheduleChanges)
        EscalationPolicyRoutes.register(on: api, database: database, time: time, changes: scheduleChanges)
        ServiceRoutes.register(on: api, database: database, time: time, changes: scheduleChanges, publicURL: configuration.publicURL)
        AlertRoutes.register(on: api, database: database, time: time, firstPages: FirstPages(outbox: outbox, logger: logger), wake: { engine.wake() })
        RoutingRuleRoutes.register(on: api, database: database, time: time)
        PlaybookTemplateRoutes.register(on: api, database: database, publicURL: configuration.publicURL)
        SentinelIngestRoutes.register(on: api, database: database, time: time, firstPages: FirstPages(outbox: outbox, logger: logger), wake: { engine.wake() })
        SentinelKeySettingsRoutes.register(on: api, database: database, time: time)
        NotificationRoutes.register(on: api, database: database, time: time, wake: { engine.wake() })
        OutboxRoutes.register(on: api, database: database, time: time)
        AckLinkRoutes.register(on: api, database: database, time: time, publicDirectory: configuration.publicDirectory, wake: { engine.wake() })
        onCall = OnCallModule(database: database, time: time, publicURL: configuration.publicURL, changes: scheduleChanges, logger: logger)
        onCall.register(on: api)
        engine.add(onCall.recorder)
        var router = api.router
        // The providers' callbacks (/providers/{kind}/{name}/…) follow the providers' contracts,
        // not our API's: each checks its provider's signature, and none is in the OpenAPI document.
        for gateway in gateways?.gateways ?? [] {
            gateway.registerInbound(on: &router, events: inbound)
        }
        if let staticFiles = try? StaticFiles(root: configuration.publicDirectory) {
            router.fallback(staticFiles.handler)
        } else {
            logger.warning("no web console: \(configuration.publicDirectory) is not a folder (set --public-dir)")
        }
        let document = api.document
        lazyOpenAPI = document
        documentBox.withLock { $0 = document }
        routes = router.routes

        server = HTTPServer(configuration: serverConfiguration, responder: router, logger: logger) { record in
            metrics.observe(record)
        }
        serverBox.withLock { $0 = server }
    }

    public func start() throws {
        do { try server.start() } catch {
            throw StartupError("cannot listen on \(configuration.listenHost):\(configuration.listenPort): \(error)")
        }
        engine.start()
        logger.info("watchkeeper \(WatchkeeperVersion.current) listening on \(configuration.listenHost):\(server.localPort), database \(configuration.databasePath)")
    }

    public var port: Int { server.localPort }

    /// Stops accepting, lets requests in flight finish, then closes the database. Idempotent; a
    /// concurrent caller waits until the first one has finished.
    public func shutdown() {
        stopped.withLock { stopped in
            guard !stopped else { return }
            server.shutdown()
            engine.stop()
            outbox.stop()
            sentinelSync.stop()
            sentinelPoll.stop()
            database.close()
            stopped = true
        }
    }

    public func waitUntilStopped() { server.waitUntilStopped() }
}

extension Application {
    /// WATCHKEEPER_SENTINEL_CLASSIFICATION (`TruePositive/SuspiciousActivity`, …, `Undetermined`):
    /// the pair a resolve without one closes linked incidents with; WATCHKEEPER_SENTINEL_POLL_SECONDS:
    /// how often each connection is polled (default 60).
    static func sentinelSettings(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> (classification: SentinelWriteClassification, pollInterval: TimeInterval) {
        var classification = SentinelWriteClassification.standardDefault
        if let text = environment["WATCHKEEPER_SENTINEL_CLASSIFICATION"] {
            do { classification = try SentinelWriteClassification.parse(text) } catch {
                throw StartupError("WATCHKEEPER_SENTINEL_CLASSIFICATION: '\(text)' is not one of Sentinel's five classification pairs "
                                   + SentinelWriteClassification.valid.map { "\($0.classification)\($0.reason.map { "/\($0)" } ?? "")" }.joined(separator: ", "))
            }
        }
        var interval = SentinelPollStep.defaultInterval
        if let text = environment["WATCHKEEPER_SENTINEL_POLL_SECONDS"] {
            guard let seconds = TimeInterval(text), seconds >= 10, seconds <= 3600 else {
                throw StartupError("WATCHKEEPER_SENTINEL_POLL_SECONDS: '\(text)' must be a number of seconds from 10 to 3600")
            }
            interval = seconds
        }
        return (classification, interval)
    }

    /// Reads the gateways file and builds each gateway through its kind; every mistake is a
    /// `StartupError` naming the file's field.
    static func loadGateways(path: String, kinds: [any ConfigurableGateway.Type],
                             context: GatewayContext) throws -> (file: GatewaysFile, gateways: [any ConfigurableGateway]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StartupError("gateways file: cannot read \(path)")
        }
        let file: GatewaysFile
        do {
            file = try GatewaysFile.decode(data, kinds: Set(kinds.map { $0.kind }))
        } catch {
            throw StartupError(error.description)
        }
        var gateways: [any ConfigurableGateway] = []
        for entry in file.gateways {
            guard let kind = kinds.first(where: { $0.kind == entry.kind }) else {
                throw StartupError("gateways file: gateway '\(entry.name)' has unknown kind '\(entry.kind)'")
            }
            do {
                gateways.append(try kind.init(name: entry.name, settings: entry.settings, context: context))
            } catch {
                throw StartupError("gateways file: gateway '\(entry.name)' (kind \(entry.kind)): \(Self.describe(error))")
            }
        }
        // A route may only name gateways that can send its type.
        let named = Dictionary(gateways.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var checks = file.routes.sorted { $0.key.rawValue < $1.key.rawValue }.map { (field: "routes.\($0.key.rawValue)", type: $0.key, names: $0.value) }
        checks += file.smsPrefixes.enumerated().map { (field: "smsPrefixes[\($0.offset)].gateways", type: .sms, names: $0.element.gateways) }
        for check in checks {
            for name in check.names where named[name]?.supports(check.type) != true {
                throw StartupError("gateways file: \(check.field) names gateway '\(name)', which cannot send \(check.type.rawValue)")
            }
        }
        return (file, gateways)
    }

    /// Decoding errors say which key of the gateway's object is wrong.
    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "missing key '\((path(context) + "." + key.stringValue).trimmingCharacters(in: CharacterSet(charactersIn: ".")))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "'\(path(context))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

public struct StartupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
