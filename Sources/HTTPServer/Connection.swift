import COpenSSL

/// One client connection. Confined to the thread of the event loop that accepted it.
final class Connection {
    enum Phase {
        /// TLS handshake in progress.
        case handshake
        /// Waiting for the first byte of the next request (keep-alive idle, or a new connection).
        case awaitingRequest
        case readingHead
        case readingBody
        /// The handler runs on a worker.
        case handling
        /// A response (or a stream) is being sent.
        case writing
        /// Closed for writing by the server; reading and discarding until the peer closes.
        case lingering
    }

    let key: ConnectionKey
    var fd: Int32 { key.fd }
    var ssl: OpaquePointer?
    var isOpen = true
    var phase: Phase
    var parser: HTTPRequestParser
    /// Received bytes not parsed yet (pipelined requests, or data read while a request is in flight).
    var pending: [UInt8] = []
    /// The epoll events currently registered.
    var interest: UInt32
    /// True until the first request is answered: the head timeout then runs from the accept.
    var isFresh = true
    var peerClosed = false
    var closeAfterResponse = false
    /// What the TLS handshake waits for (EPOLLIN or EPOLLOUT).
    var handshakeWants: UInt32 = 0

    // Timer: `deadline` is the truth (0 = none); `queuedDeadline` is the earliest entry this
    // connection has in the loop's heap, so moving the deadline later needs no heap work.
    var deadline: UInt64 = 0
    var queuedDeadline: UInt64?

    // The request in flight.
    var head: HTTPRequestParser.Head?
    var route: RoutedRequest?
    var body: [UInt8] = []
    var requestStart: UInt64 = 0

    // The response in flight.
    var outbound: [UInt8] = []
    var outboundOffset = 0
    var stream: ResponseStream?
    /// The producer has finished; the stream ends once `outbound` is sent.
    var streamFinished = false
    var streamStatus = 0
    var streamBodyBytes = 0

    private var cachedRemoteAddress: String?

    init(key: ConnectionKey, ssl: OpaquePointer?, limits: HTTPRequestParser.Limits, interest: UInt32) {
        self.key = key
        self.ssl = ssl
        self.phase = ssl == nil ? .awaitingRequest : .handshake
        self.parser = HTTPRequestParser(limits: limits)
        self.interest = interest
    }

    deinit {
        if let ssl { SSL_free(ssl) }
    }

    var remoteAddress: String {
        if let cachedRemoteAddress { return cachedRemoteAddress }
        let address = ListeningSocket.peerAddress(fd)
        cachedRemoteAddress = address
        return address
    }

    var hasOutbound: Bool { outboundOffset < outbound.count }

    /// True in the phases where received bytes are parsed right away.
    var isParsing: Bool {
        switch phase {
        case .awaitingRequest, .readingHead, .readingBody: true
        default: false
        }
    }
}
