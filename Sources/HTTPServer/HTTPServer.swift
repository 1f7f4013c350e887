import CShims
import Dispatch
import Foundation
import Logging
import Synchronization

/// The HTTP/1.1 server: a few epoll event-loop threads (one listening socket each, SO_REUSEPORT)
/// that parse requests and send responses, and a worker pool for handlers that may block.
public final class HTTPServer: Sendable {
    private enum Phase {
        case idle
        case running(loops: [EventLoop], context: ServerContext)
        case stopping(context: ServerContext)
        case stopped
    }

    private struct State {
        var phase: Phase = .idle
        var port = 0
        var context: ServerContext?
    }

    private let configuration: ServerConfiguration
    private let responder: any HTTPResponder
    private let logger: Logger
    private let observer: (@Sendable (RequestRecord) -> Void)?
    private let state = Mutex(State())
    /// Entered by each loop thread when it starts, left when it exits.
    private let loopThreads = DispatchGroup()

    public init(configuration: ServerConfiguration, responder: any HTTPResponder, logger: Logger,
                observer: (@Sendable (RequestRecord) -> Void)? = nil) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.observer = observer
    }

    /// A port on `host` that nothing listens on now (as `start()` picks for port 0), for callers
    /// that must know the port before starting, such as links built from it.
    public static func reserveFreePort(host: String) throws -> Int {
        try ListeningSocket.reserve(host: host, port: 0)
    }

    /// The port listened on (the actual one when configured with port 0); 0 before `start()`.
    public var localPort: Int { state.withLock { $0.port } }

    /// Connections currently open, on all loops.
    public var openConnections: Int {
        state.withLock { $0.context }?.openConnections.load(ordering: .relaxed) ?? 0
    }

    /// Binds, listens and starts the loop and worker threads, then returns.
    public func start() throws {
        try state.withLock { state throws(HTTPServerError) in
            guard case .idle = state.phase else { throw .alreadyStarted }
            let tls = try configuration.tls.map { configuration throws(HTTPServerError) in try TLSContext(configuration) }
            let loopCount = max(1, configuration.eventLoopCount)

            var listeners: [Int32] = []
            var epollFDs: [Int32] = []
            var loops: [EventLoop] = []
            var port = try ListeningSocket.reserve(host: configuration.host, port: configuration.port)
            do throws(HTTPServerError) {
                for index in 0..<loopCount {
                    let (fd, boundPort) = try ListeningSocket.open(host: configuration.host, port: port)
                    listeners.append(fd)
                    port = boundPort
                    let epollFD = wk_epoll_create()
                    guard epollFD >= 0 else { throw .socket(operation: "epoll_create", errno: errno) }
                    epollFDs.append(epollFD)
                    loops.append(try EventLoop(index: index))
                }
            } catch {
                for fd in listeners + epollFDs { close(fd) }
                throw error
            }

            let pool = WorkerPool(minimum: configuration.minimumWorkers, maximum: configuration.maximumWorkers)
            let context = ServerContext(configuration: configuration, responder: responder, logger: logger,
                                        observer: observer, pool: pool, tls: tls)
            for (index, loop) in loops.enumerated() {
                let epollFD = epollFDs[index], listenFD = listeners[index]
                _ = wk_epoll_ctl(epollFD, 1, loop.wakeFD, WK_EPOLLIN, ConnectionKey(fd: loop.wakeFD, id: 0).epollData)
                _ = wk_epoll_ctl(epollFD, 1, listenFD, WK_EPOLLIN, ConnectionKey(fd: listenFD, id: 0).epollData)
                loopThreads.enter()
                let group = loopThreads
                let thread = Thread {
                    EventLoopRunner(loop: loop, context: context, listenFD: listenFD, epollFD: epollFD).run()
                    group.leave()
                }
                thread.name = "wk-loop-\(index)"
                thread.start()
            }
            state.phase = .running(loops: loops, context: context)
            state.port = port
            state.context = context
            logger.info("Listening on \(configuration.host):\(port)\(tls == nil ? "" : " (TLS)") with \(loopCount) event loop(s)")
        }
    }

    /// Stops accepting, lets in-flight requests finish (their responses carry `Connection:
    /// close`), closes idle connections at once, and returns when everything has stopped — at
    /// most `shutdownGracePeriod` later, force-closing what remains. Safe to call repeatedly
    /// and from several threads; never from a handler running on an event loop.
    public func shutdown() {
        let started = state.withLock { state -> (loops: [EventLoop], context: ServerContext)? in
            switch state.phase {
            case .idle:
                state.phase = .stopped
                return nil
            case .running(let loops, let context):
                state.phase = .stopping(context: context)
                return (loops, context)
            case .stopping, .stopped:
                return nil
            }
        }
        if let (loops, context) = started {
            let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(configuration.shutdownGracePeriod)
            let closed = loops.map { _ in DispatchSemaphore(value: 0) }
            for (loop, semaphore) in zip(loops, closed) {
                loop.post(.beginShutdown(deadline: deadline, closed: semaphore))
            }
            for semaphore in closed { semaphore.wait() }
            logger.info("Stopped accepting connections; draining")
            loopThreads.wait()
            context.pool.shutdown()
            state.withLock { $0.phase = .stopped }
            logger.info("Server stopped")
        } else {
            loopThreads.wait()
        }
    }

    /// Blocks until the event loops have stopped (returns at once if never started).
    public func waitUntilStopped() {
        loopThreads.wait()
    }
}
