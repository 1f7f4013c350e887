import Logging
import Synchronization

/// What every event loop shares: configuration, application, pool, TLS and counters.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let responder: any HTTPResponder
    let logger: Logger
    let observer: (@Sendable (RequestRecord) -> Void)?
    let pool: WorkerPool
    let tls: TLSContext?
    let limits: HTTPRequestParser.Limits
    let openConnections = Atomic<Int>(0)

    let headTimeout: UInt64
    let bodyIdleTimeout: UInt64
    let keepAliveTimeout: UInt64
    /// How long a connection closed by the server keeps reading (and discarding) so that its
    /// last response is not destroyed by a reset (RFC 9112 §9.6).
    let lingerTimeout: UInt64 = 2_000_000_000

    init(configuration: ServerConfiguration, responder: any HTTPResponder, logger: Logger,
         observer: (@Sendable (RequestRecord) -> Void)?, pool: WorkerPool, tls: TLSContext?) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.observer = observer
        self.pool = pool
        self.tls = tls
        limits = HTTPRequestParser.Limits(maxTargetLength: configuration.maxTargetLength,
                                          maxHeaderBytes: configuration.maxHeaderBytes,
                                          maxHeaderCount: configuration.maxHeaderCount)
        headTimeout = MonotonicClock.nanoseconds(configuration.headTimeout)
        bodyIdleTimeout = MonotonicClock.nanoseconds(configuration.bodyIdleTimeout)
        keepAliveTimeout = MonotonicClock.nanoseconds(configuration.keepAliveTimeout)
    }
}
