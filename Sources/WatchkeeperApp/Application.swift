import Foundation
import Gateways
import HTTPServer
import Logging
import Migrations
import Storage
import Synchronization

/// The whole server: the database (migrated), the routes and the HTTP listener.
public final class Application: Sendable {
    public let configuration: Configuration
    public let database: Database
    public let metrics: Metrics
    public let keys: APIKeyStore
    /// Every route, for the OpenAPI completeness check.
    public let routes: [(method: HTTPMethod, pattern: String)]
    public let openAPI: OpenAPIDocument
    public let scheduleChanges = ScheduleChangeSignal()
    let onCall: OnCallModule
    /// Runs escalations, notification rules, ack timeouts, the outbox and shift notices.
    let engine: PagingEngine
    /// Where messages go; the console provider when none is given.
    let providers: [any MessageProvider]
    /// Sends the outbox's messages; its threads are stopped after the engine's.
    let outbox: OutboxStep
    let server: HTTPServer
    let logger: Logger
    /// Held for the whole shutdown, so a second caller returns only once everything is closed.
    private let stopped = Mutex(false)

    /// Opens and migrates the database and builds the routes; `start()` begins listening.
    /// Throws `StartupError` with a message meant for the person starting the server.
    public init(configuration: Configuration, logger: Logger, time: any TimeSource = SystemTimeSource(), tuning: ServerConfiguration? = nil,
                providers: [any MessageProvider] = []) throws {
        self.configuration = configuration
        self.logger = logger
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
        let engine = PagingEngine(time: time, logger: logger)
        self.engine = engine
        (time as? ManualTimeSource)?.subscribe { engine.wake() }
        self.providers = providers
        // In this order, so one pass carries an alert from its step firing to its messages.
        engine.add(RetriggerStep(database: database))
        engine.add(EscalationStep(database: database))
        engine.add(NotificationStep(database: database))
        engine.add(ShiftNoticeStep(database: database, logger: logger, changes: scheduleChanges))
        scheduleChanges.subscribe { engine.wake() }
        let outbox = OutboxStep(database: database, providers: providers.isEmpty ? [ConsoleMessageProvider(database: database, time: time, logger: logger)] : providers,
                                publicURL: configuration.publicURL, time: time, logger: logger, wake: { engine.wake() })
        self.outbox = outbox
        engine.add(outbox)

        var serverConfiguration = tuning ?? ServerConfiguration()
        serverConfiguration.host = configuration.listenHost
        serverConfiguration.port = configuration.listenPort
        if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
            serverConfiguration.tls = TLSConfiguration(certificateChainPath: certificate, privateKeyPath: key)
        }

        let api = APIRouteBuilder(router: Router(), keys: keys, version: WatchkeeperVersion.current)
        // The server exists only after the routes are built, so the gauge reads it through a box.
        let serverBox = Mutex<HTTPServer?>(nil)
        let documentBytes = Mutex<[UInt8]>([])
        SystemRoutes.register(on: api, database: database, metrics: metrics,
                              openConnections: { serverBox.withLock { $0?.openConnections ?? 0 } },
                              document: { documentBytes.withLock { $0 } })
        APIKeyRoutes.register(on: api, keys: keys)
        ScheduleRoutes.register(on: api, database: database, time: time, changes: scheduleChanges)
        EscalationPolicyRoutes.register(on: api, database: database, time: time, changes: scheduleChanges)
        ServiceRoutes.register(on: api, database: database, time: time, changes: scheduleChanges, publicURL: configuration.publicURL)
        AlertRoutes.register(on: api, database: database, time: time, firstPages: FirstPages(outbox: outbox, logger: logger), wake: { engine.wake() })
        NotificationRoutes.register(on: api, database: database, time: time, wake: { engine.wake() })
        OutboxRoutes.register(on: api, database: database, time: time)
        AckLinkRoutes.register(on: api, database: database, time: time, publicDirectory: configuration.publicDirectory, wake: { engine.wake() })
        onCall = OnCallModule(database: database, time: time, publicURL: configuration.publicURL, changes: scheduleChanges, logger: logger)
        onCall.register(on: api)
        engine.add(onCall.recorder)
        var router = api.router
        if let staticFiles = try? StaticFiles(root: configuration.publicDirectory) {
            router.fallback(staticFiles.handler)
        } else {
            logger.warning("no web console: \(configuration.publicDirectory) is not a folder (set --public-dir)")
        }
        documentBytes.withLock { $0 = api.document.encoded() }
        openAPI = api.document
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
            database.close()
            stopped = true
        }
    }

    public func waitUntilStopped() { server.waitUntilStopped() }
}

public struct StartupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
