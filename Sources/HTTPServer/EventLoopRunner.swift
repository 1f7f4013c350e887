import COpenSSL
import CShims
import Dispatch
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The body of one event-loop thread: epoll over its listening socket, its eventfd and its
/// connections; parses requests, runs inline handlers, sends responses, enforces timeouts.
/// Everything here is confined to that thread.
final class EventLoopRunner {
    private static let epollAdd: Int32 = 1, epollDelete: Int32 = 2, epollModify: Int32 = 3
    private static let readBufferSize = 64 * 1024
    /// Bytes read ahead while a request is in flight before the loop stops reading that socket.
    private static let maxPendingWhileBusy = 64 * 1024
    private static let acceptBatch = 64
    private static let maxEvents: Int32 = 256

    private let loop: EventLoop
    private let context: ServerContext
    private let epollFD: Int32
    private var listenFD: Int32
    private var listenerRegistered = true
    private var acceptResumeAt: UInt64 = 0
    private var connections: [Connection?] = []
    private var liveCount = 0
    private var nextID: UInt32 = 1
    private var timers = TimerHeap()
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var headScratch: [UInt8] = []
    private var encoder: ResponseHeadEncoder
    private var now = MonotonicClock.now()
    private var draining = false
    private var graceDeadline: UInt64 = 0
    private var eventData = [UInt64](repeating: 0, count: Int(maxEvents))
    private var eventFlags = [UInt32](repeating: 0, count: Int(maxEvents))

    private var logger: Logger { context.logger }

    /// `epollFD` already watches `loop.wakeFD` and `listenFD` (epoll data with id 0).
    init(loop: EventLoop, context: ServerContext, listenFD: Int32, epollFD: Int32) {
        self.loop = loop
        self.context = context
        self.listenFD = listenFD
        self.epollFD = epollFD
        readBuffer = .allocate(byteCount: Self.readBufferSize, alignment: 16)
        encoder = ResponseHeadEncoder(serverName: context.configuration.serverName)
        headScratch.reserveCapacity(1024)
    }

    func run() {
        while true {
            let timeout = nextTimeout()
            let count = wk_epoll_wait(epollFD, &eventData, &eventFlags, Self.maxEvents, timeout)
            now = MonotonicClock.now()
            if count < 0 {
                logger.critical("epoll_wait failed", metadata: ["errno": "\(errno)"])
                break
            }
            for index in 0..<Int(count) {
                handle(eventData[index], eventFlags[index])
            }
            fireTimers()
            if draining {
                if liveCount == 0 { break }
                if now >= graceDeadline {
                    logger.warning("Shutdown grace period over; closing \(liveCount) connection(s)")
                    break
                }
            }
        }
        for case let connection? in connections { close(connection) }
        closeListener()
        Glibc.close(epollFD)
        readBuffer.deallocate()
    }

    // MARK: - Events

    private func handle(_ data: UInt64, _ flags: UInt32) {
        let key = ConnectionKey(epollData: data)
        if key.id == 0 {
            if key.fd == loop.wakeFD {
                _ = wk_eventfd_drain(loop.wakeFD)
                for message in loop.takeMessages() { handle(message) }
            } else if key.fd == listenFD {
                acceptConnections()
            }
            return
        }
        guard let connection = connection(for: key) else { return }
        if flags & (WK_EPOLLERR | WK_EPOLLHUP) != 0 {
            close(connection)
            return
        }
        if flags & WK_EPOLLIN != 0 { onReadable(connection) }
        if connection.isOpen, flags & WK_EPOLLOUT != 0 { onWritable(connection) }
    }

    private func handle(_ message: EventLoop.Message) {
        switch message {
        case .response(let key, let response):
            guard let connection = connection(for: key), connection.phase == .handling else { return }
            deliver(connection, response)
            resumeParsing(connection)
        case .streamReady(let key):
            guard let connection = connection(for: key), connection.stream != nil, !connection.hasOutbound else { return }
            pumpStream(connection)
        case .beginShutdown(let deadline, let closed):
            closeListener()
            closed.signal()
            draining = true
            graceDeadline = deadline
            for case let connection? in connections {
                switch connection.phase {
                case .handshake, .awaitingRequest:
                    close(connection)
                case .lingering:
                    setDeadline(connection, min(connection.deadline, deadline))
                case .readingHead, .readingBody, .handling, .writing:
                    connection.closeAfterResponse = true
                }
            }
        }
    }

    private func connection(for key: ConnectionKey) -> Connection? {
        let index = Int(key.fd)
        guard index >= 0, index < connections.count, let connection = connections[index], connection.key.id == key.id else { return nil }
        return connection
    }

    // MARK: - Accept

    private func acceptConnections() {
        for _ in 0..<Self.acceptBatch {
            let fd = wk_accept4(listenFD)
            if fd < 0 {
                let code = errno
                if code == EAGAIN || code == EWOULDBLOCK { return }
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    // Out of descriptors: stop polling the listener briefly instead of spinning.
                    logger.warning("accept failed; pausing accepts for 100 ms", metadata: ["errno": "\(code)"])
                    if listenerRegistered {
                        _ = wk_epoll_ctl(epollFD, Self.epollDelete, listenFD, 0, 0)
                        listenerRegistered = false
                    }
                    acceptResumeAt = now + 100_000_000
                    return
                }
                continue
            }
            _ = wk_set_nodelay(fd)
            var ssl: OpaquePointer?
            if let tls = context.tls {
                guard let session = tls.makeSession(fd: fd) else {
                    Glibc.close(fd)
                    continue
                }
                ssl = session
            }
            let key = ConnectionKey(fd: fd, id: nextID)
            nextID = nextID == UInt32.max ? 1 : nextID + 1
            let connection = Connection(key: key, ssl: ssl, limits: context.limits, interest: WK_EPOLLIN)
            connection.handshakeWants = WK_EPOLLIN
            guard wk_epoll_ctl(epollFD, Self.epollAdd, fd, WK_EPOLLIN, key.epollData) == 0 else {
                connection.ssl = nil
                if let ssl { SSL_free(ssl) }
                Glibc.close(fd)
                continue
            }
            let index = Int(fd)
            if index >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: max(index + 1 - connections.count, connections.count)))
            }
            connections[index] = connection
            liveCount += 1
            context.openConnections.add(1, ordering: .relaxed)
            // A new connection must complete its TLS handshake and first head within the head timeout.
            setDeadline(connection, now + context.headTimeout)
        }
    }

    private func closeListener() {
        guard listenFD >= 0 else { return }
        if listenerRegistered { _ = wk_epoll_ctl(epollFD, Self.epollDelete, listenFD, 0, 0) }
        Glibc.close(listenFD)
        listenFD = -1
        listenerRegistered = false
        acceptResumeAt = 0
    }

    // MARK: - Timers

    private func setDeadline(_ connection: Connection, _ deadline: UInt64) {
        connection.deadline = deadline
        guard deadline != 0 else { return }
        if let queued = connection.queuedDeadline, queued <= deadline { return }
        timers.push(.init(deadline: deadline, key: connection.key))
        connection.queuedDeadline = deadline
    }

    private func nextTimeout() -> Int32 {
        var next = timers.earliest
        if draining { next = min(next ?? graceDeadline, graceDeadline) }
        if acceptResumeAt != 0 { next = min(next ?? acceptResumeAt, acceptResumeAt) }
        guard let next else { return -1 }
        let current = MonotonicClock.now()
        if next <= current { return 0 }
        return Int32(min((next - current + 999_999) / 1_000_000, 60_000))
    }

    private func fireTimers() {
        while let entry = timers.popDue(now: now) {
            guard let connection = connection(for: entry.key), connection.queuedDeadline == entry.deadline else { continue }
            connection.queuedDeadline = nil
            guard connection.deadline != 0 else { continue }
            if connection.deadline > now {
                setDeadline(connection, connection.deadline)
                continue
            }
            timedOut(connection)
        }
        if acceptResumeAt != 0, now >= acceptResumeAt, listenFD >= 0 {
            acceptResumeAt = 0
            listenerRegistered = wk_epoll_ctl(epollFD, Self.epollAdd, listenFD, WK_EPOLLIN, ConnectionKey(fd: listenFD, id: 0).epollData) == 0
        }
    }

    private func timedOut(_ connection: Connection) {
        connection.deadline = 0
        switch connection.phase {
        case .handshake, .writing, .lingering, .handling:
            close(connection)
        case .awaitingRequest:
            if connection.isFresh {
                respondError(connection, .requestTimeout, "The request head did not arrive in time.")
            } else {
                close(connection)
            }
        case .readingHead:
            respondError(connection, .requestTimeout, "The request head did not arrive in time.")
        case .readingBody:
            respondError(connection, .requestTimeout, "The request body stalled.")
        }
    }

    // MARK: - Reading

    private enum ReadResult {
        case data(Int)
        case wouldBlock
        case closed
    }

    private func onReadable(_ connection: Connection) {
        switch connection.phase {
        case .handshake:
            continueHandshake(connection)
        case .lingering:
            discardInput(connection)
        default:
            readData(connection)
        }
    }

    private func readData(_ connection: Connection) {
        repeat {
            switch receive(connection) {
            case .wouldBlock:
                return
            case .closed:
                peerClosed(connection)
                return
            case .data(let count):
                let bytes = UnsafeRawBufferPointer(rebasing: readBuffer[0..<count])
                if connection.isParsing {
                    ingest(connection, bytes)
                } else {
                    connection.pending.append(contentsOf: bytes)
                }
                guard connection.isOpen else { return }
                updateInterest(connection)
                // Plain sockets: level-triggered epoll reports the rest. TLS may hold decrypted
                // records the socket no longer signals, so keep reading until it would block.
                if connection.ssl == nil && count < readBuffer.count { return }
            }
        } while connection.isOpen && connection.interest & WK_EPOLLIN != 0 && connection.phase != .lingering
    }

    private func receive(_ connection: Connection) -> ReadResult {
        if let ssl = connection.ssl {
            let count = SSL_read(ssl, readBuffer.baseAddress, Int32(readBuffer.count))
            if count > 0 { return .data(Int(count)) }
            switch SSL_get_error(ssl, count) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return .wouldBlock
            default:
                ERR_clear_error()
                return .closed
            }
        }
        let count = read(connection.fd, readBuffer.baseAddress, readBuffer.count)
        if count > 0 { return .data(count) }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return .wouldBlock }
        return .closed
    }

    private func peerClosed(_ connection: Connection) {
        switch connection.phase {
        case .handling, .writing:
            // A client may half-close after its request: still answer, then close.
            connection.peerClosed = true
            connection.closeAfterResponse = true
            updateInterest(connection)
        default:
            close(connection)
        }
    }

    private func discardInput(_ connection: Connection) {
        while true {
            let count = read(connection.fd, readBuffer.baseAddress, readBuffer.count)
            if count == readBuffer.count { continue }
            if count > 0 || (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) { return }
            close(connection)
            return
        }
    }

    private func continueHandshake(_ connection: Connection) {
        guard let ssl = connection.ssl else { return }
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            connection.phase = .awaitingRequest
            updateInterest(connection)
            readData(connection)
            return
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ:
            connection.handshakeWants = WK_EPOLLIN
        case SSL_ERROR_WANT_WRITE:
            connection.handshakeWants = WK_EPOLLOUT
        default:
            logger.debug("TLS handshake failed", metadata: ["error": "\(TLSContext.lastError())"])
            ERR_clear_error()
            close(connection)
            return
        }
        updateInterest(connection)
    }

    // MARK: - Parsing

    private func ingest(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        if connection.pending.isEmpty {
            let consumed = process(connection, bytes)
            if connection.isOpen && consumed < bytes.count && connection.phase != .lingering {
                connection.pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
            }
        } else {
            connection.pending.append(contentsOf: bytes)
            processPending(connection)
        }
    }

    private func processPending(_ connection: Connection) {
        guard connection.isParsing, !connection.pending.isEmpty else { return }
        let buffer = connection.pending
        connection.pending = []
        let consumed = buffer.withUnsafeBytes { process(connection, $0) }
        if connection.isOpen && consumed < buffer.count && connection.phase != .lingering {
            connection.pending = consumed == 0 ? buffer : Array(buffer[consumed...])
        }
    }

    /// Called when a response is done: parses what was pipelined meanwhile.
    private func resumeParsing(_ connection: Connection) {
        guard connection.isOpen, connection.phase == .awaitingRequest else { return }
        processPending(connection)
        if connection.isOpen, connection.isParsing, let ssl = connection.ssl, SSL_pending(ssl) > 0 {
            readData(connection)
        }
    }

    /// Parses requests from `input` while the connection is ready for one; returns the bytes consumed.
    private func process(_ connection: Connection, _ input: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        while connection.isOpen && connection.isParsing {
            switch connection.parser.parse(input, offset: &offset) {
            case .needMore:
                if connection.phase == .awaitingRequest && !connection.parser.isAtRequestBoundary {
                    connection.phase = .readingHead
                    connection.requestStart = MonotonicClock.now()
                    if !connection.isFresh { setDeadline(connection, now + context.headTimeout) }
                }
                return offset
            case .head(let head):
                onHead(connection, head)
            case .body(let range):
                connection.body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[range]))
                connection.deadline = now + context.bodyIdleTimeout
            case .end:
                dispatch(connection)
            case .error(let error):
                respondError(connection, error.status, error.detail)
            }
        }
        return offset
    }

    private func onHead(_ connection: Connection, _ head: HTTPRequestParser.Head) {
        if connection.phase == .awaitingRequest { connection.requestStart = MonotonicClock.now() }
        connection.head = head
        connection.phase = .readingBody
        let route = context.responder.route(head.head)
        connection.route = route
        if let error = connection.parser.beginBody(limit: route.bodyLimit) {
            respondError(connection, error.status, error.detail)
            return
        }
        switch head.framing {
        case .none, .length(0):
            return
        case .length(let length):
            connection.body.reserveCapacity(length)
        case .chunked:
            break
        }
        setDeadline(connection, now + context.bodyIdleTimeout)
        if head.expectContinue {
            send(connection, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), [])
        }
    }

    private func dispatch(_ connection: Connection) {
        guard let head = connection.head, let route = connection.route else { return }
        let request = HTTPRequest(head: head.head, body: connection.body, remoteAddress: connection.remoteAddress)
        connection.body = []
        if route.runsOnEventLoop {
            deliver(connection, Self.invoke(route, request, logger: logger))
            return
        }
        connection.phase = .handling
        connection.deadline = 0
        let loop = self.loop, key = connection.key, logger = self.logger
        context.pool.submit {
            loop.post(.response(key, Self.invoke(route, request, logger: logger)))
        }
    }

    private static func invoke(_ route: RoutedRequest, _ request: HTTPRequest, logger: Logger) -> HTTPResponse {
        do {
            return try route.respond(request)
        } catch let error as HTTPError {
            return HTTPResponse(error: error)
        } catch {
            let path = route.pathHoldsSecret ? route.routeName ?? "-" : request.path
            logger.error("Handler failed", metadata: ["method": "\(request.method)", "path": "\(path)", "error": "\(error)"])
            return .problem(.internalServerError)
        }
    }

    /// Answers a protocol error or timeout with a problem document and closes afterwards.
    private func respondError(_ connection: Connection, _ status: HTTPStatus, _ detail: String) {
        connection.closeAfterResponse = true
        connection.pending = []
        deliver(connection, .problem(status, detail: detail))
    }

    // MARK: - Responses

    private func deliver(_ connection: Connection, _ response: HTTPResponse) {
        let request = connection.head?.head
        let isHead = request?.method == .head
        let http10 = request?.minorVersion == 0
        var close = connection.closeAfterResponse || draining || connection.peerClosed || !(connection.head?.keepAlive ?? false)
        if !close, response.headers.contains("Connection"), response.headers.tokens("Connection").contains("close") { close = true }
        let code = response.status.code
        let bodyless = code < 200 || code == 204 || code == 304
        connection.phase = .writing
        headScratch.removeAll(keepingCapacity: true)

        switch response.body {
        case .stream(let producer) where !isHead && !bodyless:
            // HTTP/1.0 has no chunked coding: the body ends with the connection.
            if http10 { close = true }
            connection.closeAfterResponse = close
            encoder.encode(into: &headScratch, status: response.status, headers: response.headers,
                           framing: http10 ? .untilClose : .chunked, connection: close ? .close : .none)
            let stream = ResponseStream(chunked: !http10, loop: loop, key: connection.key)
            connection.stream = stream
            connection.streamFinished = false
            connection.streamStatus = code
            connection.streamBodyBytes = 0
            send(connection, headScratch, [])
            guard connection.isOpen else { return }
            let logger = self.logger
            context.pool.submit {
                do {
                    try producer(StreamBodyWriter(stream: stream))
                    stream.finish(aborted: false)
                } catch is ResponseStream.ClientGone {
                    stream.finish(aborted: true)
                } catch {
                    logger.error("Streamed response failed", metadata: ["error": "\(error)"])
                    stream.finish(aborted: true)
                }
            }
            if !connection.hasOutbound {
                connection.deadline = 0
                updateInterest(connection)
            }
        case .stream:
            connection.closeAfterResponse = close
            encoder.encode(into: &headScratch, status: response.status, headers: response.headers,
                           framing: bodyless ? .none : (http10 ? .untilClose : .chunked),
                           connection: close ? .close : (http10 ? .keepAlive : .none))
            record(connection, status: code, bodyBytes: 0)
            send(connection, headScratch, [])
            finishIfSent(connection)
        case .bytes(let bytes):
            connection.closeAfterResponse = close
            let framing: ResponseHeadEncoder.Framing
            if bodyless {
                framing = .none
            } else if isHead, let declared = response.headers["Content-Length"].flatMap({ Int($0) }), declared >= 0 {
                framing = .length(declared)
            } else {
                framing = .length(bytes.count)
            }
            encoder.encode(into: &headScratch, status: response.status, headers: response.headers, framing: framing,
                           connection: close ? .close : (http10 ? .keepAlive : .none))
            let sendBody = !(isHead || bodyless)
            record(connection, status: code, bodyBytes: sendBody ? bytes.count : 0)
            send(connection, headScratch, sendBody ? bytes : [])
            finishIfSent(connection)
        }
    }

    private func finishIfSent(_ connection: Connection) {
        guard connection.isOpen, !connection.hasOutbound else { return }
        responseComplete(connection)
    }

    private func responseComplete(_ connection: Connection) {
        connection.head = nil
        connection.route = nil
        connection.requestStart = 0
        if connection.closeAfterResponse || draining {
            closeGracefully(connection)
            return
        }
        connection.phase = .awaitingRequest
        connection.isFresh = false
        setDeadline(connection, now + context.keepAliveTimeout)
        updateInterest(connection)
    }

    private func record(_ connection: Connection, status: Int, bodyBytes: Int) {
        let method = connection.head?.head.method.rawValue ?? "-"
        let route = connection.route
        let path = (route?.pathHoldsSecret == true ? route?.routeName : nil) ?? connection.head?.head.path ?? "-"
        let duration = connection.requestStart == 0 ? 0 : Double(MonotonicClock.now() &- connection.requestStart) / 1e9
        logger.info("\(method) \(path) \(status) \(bodyBytes)B \(Self.milliseconds(duration))ms")
        if let observer = context.observer {
            observer(RequestRecord(method: method, path: path, routeName: connection.route?.routeName, status: status,
                                   bodyBytes: bodyBytes, duration: duration, remoteAddress: connection.remoteAddress))
        }
    }

    static func milliseconds(_ seconds: Double) -> String {
        let hundredths = Int((seconds * 100_000).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    // MARK: - Streams

    private func pumpStream(_ connection: Connection) {
        guard let stream = connection.stream, !connection.hasOutbound else { return }
        let taken = stream.take()
        if taken.aborted {
            // The body cannot be completed: closing tells the client it is truncated.
            close(connection)
            return
        }
        connection.streamBodyBytes += taken.payloadBytes
        if taken.finished { connection.streamFinished = true }
        if !taken.chunks.isEmpty {
            var bytes = taken.chunks.count == 1 ? taken.chunks[0] : []
            if taken.chunks.count > 1 {
                bytes.reserveCapacity(taken.chunks.reduce(0) { $0 + $1.count })
                for chunk in taken.chunks { bytes.append(contentsOf: chunk) }
            }
            send(connection, bytes, [])
            guard connection.isOpen else { return }
        }
        if !connection.hasOutbound {
            if connection.streamFinished {
                finishStream(connection)
            } else {
                // Waiting for the producer, not the client: no write timeout.
                connection.deadline = 0
                updateInterest(connection)
            }
        }
    }

    private func finishStream(_ connection: Connection) {
        record(connection, status: connection.streamStatus, bodyBytes: connection.streamBodyBytes)
        connection.stream = nil
        connection.streamFinished = false
        responseComplete(connection)
        resumeParsing(connection)
    }

    // MARK: - Writing

    /// Sends head and body with one writev (one TLS write), queueing what the socket refuses.
    private func send(_ connection: Connection, _ head: [UInt8], _ body: [UInt8]) {
        if connection.hasOutbound {
            connection.outbound.append(contentsOf: head)
            connection.outbound.append(contentsOf: body)
            return
        }
        let total = head.count + body.count
        var written: Int
        if let ssl = connection.ssl {
            var data = head
            data.append(contentsOf: body)
            written = sslWrite(connection, ssl, data, from: 0)
            if written < 0 { return }
            if written < total {
                connection.outbound = written == 0 ? data : Array(data[written...])
                connection.outboundOffset = 0
            }
        } else {
            written = head.withUnsafeBytes { headBytes in
                body.withUnsafeBytes { bodyBytes in
                    wk_writev2(connection.fd, headBytes.baseAddress, headBytes.count, bodyBytes.baseAddress, bodyBytes.count)
                }
            }
            if written < 0 {
                guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                    close(connection)
                    return
                }
                written = 0
            }
            if written < total {
                var rest: [UInt8] = []
                rest.reserveCapacity(total - written)
                if written < head.count {
                    rest.append(contentsOf: head[written...])
                    rest.append(contentsOf: body)
                } else {
                    rest.append(contentsOf: body[(written - head.count)...])
                }
                connection.outbound = rest
                connection.outboundOffset = 0
            }
        }
        if connection.hasOutbound {
            setDeadline(connection, now + context.bodyIdleTimeout)
            updateInterest(connection)
        }
    }

    /// Writes through TLS; returns bytes written (0 when it would block), -1 after closing.
    private func sslWrite(_ connection: Connection, _ ssl: OpaquePointer, _ data: [UInt8], from start: Int) -> Int {
        var offset = start
        while offset < data.count {
            let result = data.withUnsafeBytes { bytes in
                SSL_write(ssl, bytes.baseAddress! + offset, Int32(min(bytes.count - offset, Int(Int32.max))))
            }
            if result > 0 {
                offset += Int(result)
                continue
            }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_WRITE, SSL_ERROR_WANT_READ:
                return offset - start
            default:
                ERR_clear_error()
                close(connection)
                return -1
            }
        }
        return offset - start
    }

    private func onWritable(_ connection: Connection) {
        if connection.phase == .handshake {
            continueHandshake(connection)
            return
        }
        guard connection.hasOutbound else {
            updateInterest(connection)
            return
        }
        let written: Int
        if let ssl = connection.ssl {
            written = sslWrite(connection, ssl, connection.outbound, from: connection.outboundOffset)
            if written < 0 { return }
        } else {
            let result = connection.outbound.withUnsafeBytes { bytes in
                wk_send(connection.fd, bytes.baseAddress! + connection.outboundOffset, bytes.count - connection.outboundOffset)
            }
            if result < 0 {
                guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                    close(connection)
                    return
                }
                return
            }
            written = result
        }
        if written > 0 { connection.deadline = now + context.bodyIdleTimeout }
        connection.outboundOffset += written
        guard !connection.hasOutbound else { return }
        connection.outbound = []
        connection.outboundOffset = 0
        updateInterest(connection)
        switch connection.phase {
        case .writing:
            if connection.stream != nil {
                if connection.streamFinished { finishStream(connection) } else { pumpStream(connection) }
            } else {
                responseComplete(connection)
                resumeParsing(connection)
            }
        case .readingBody:
            // A 100 Continue went out; the body timer runs again from now.
            setDeadline(connection, now + context.bodyIdleTimeout)
        default:
            break
        }
    }

    private func updateInterest(_ connection: Connection) {
        guard connection.isOpen else { return }
        var wanted: UInt32
        switch connection.phase {
        case .handshake:
            wanted = connection.handshakeWants
        case .lingering:
            wanted = WK_EPOLLIN
        default:
            wanted = 0
            if connection.isParsing || (!connection.peerClosed && connection.pending.count < Self.maxPendingWhileBusy) {
                wanted |= WK_EPOLLIN
            }
            if connection.hasOutbound { wanted |= WK_EPOLLOUT }
        }
        guard wanted != connection.interest else { return }
        connection.interest = wanted
        _ = wk_epoll_ctl(epollFD, Self.epollModify, connection.fd, wanted, connection.key.epollData)
    }

    // MARK: - Closing

    /// Ends a connection after its last response: TLS close_notify, FIN, then read and discard
    /// until the client closes, so unread request bytes do not turn our close into a reset that
    /// could destroy the response before the client reads it.
    private func closeGracefully(_ connection: Connection) {
        if let ssl = connection.ssl {
            _ = SSL_shutdown(ssl)
            ERR_clear_error()
        }
        Glibc.shutdown(connection.fd, Int32(SHUT_WR))
        connection.phase = .lingering
        connection.pending = []
        var deadline = now + context.lingerTimeout
        if draining { deadline = min(deadline, graceDeadline) }
        setDeadline(connection, deadline)
        updateInterest(connection)
    }

    private func close(_ connection: Connection) {
        guard connection.isOpen else { return }
        connection.isOpen = false
        connection.stream?.cancel()
        connection.stream = nil
        if let ssl = connection.ssl {
            SSL_free(ssl)
            connection.ssl = nil
        }
        Glibc.close(connection.fd)
        connections[Int(connection.fd)] = nil
        liveCount -= 1
        context.openConnections.subtract(1, ordering: .relaxed)
    }
}
