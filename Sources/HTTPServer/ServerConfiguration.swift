import Foundation

/// How the server listens, how many threads it uses, and its limits and timeouts.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks an ephemeral port; read it back from `HTTPServer.localPort`.
    public var port = 8080
    public var eventLoopCount: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Worker threads kept alive for handlers that do not run on the event loop.
    public var minimumWorkers = 4
    /// The pool grows up to this when every worker is busy; extra threads exit after idling.
    public var maximumWorkers = 128
    public var tls: TLSConfiguration?
    /// The whole request head must arrive within this (from its first byte, or from the
    /// connection's opening); also bounds the TLS handshake.
    public var headTimeout: Duration = .seconds(10)
    /// No body bytes for this long → 408 and close. Also bounds a response stalled by a client
    /// that stops reading.
    public var bodyIdleTimeout: Duration = .seconds(10)
    /// An idle keep-alive connection is closed silently after this.
    public var keepAliveTimeout: Duration = .seconds(60)
    public var shutdownGracePeriod: Duration = .seconds(10)
    public var maxTargetLength = 8192
    public var maxHeaderBytes = 16384
    public var maxHeaderCount = 100
    public var serverName = "watchkeeper"

    public init() {}
}
