/// Why no HTTP response came back. Every case is worth a retry except `invalidRequest`.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The timeout passed before the response was complete.
    case timedOut
    /// DNS, connect, TLS handshake or certificate failure, or the connection dropped.
    case connectionFailed(String)
    /// The request itself cannot be sent (a malformed URL, an unsupported scheme).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .timedOut: "timed out"
        case .connectionFailed(let reason): "connection failed: \(reason)"
        case .invalidRequest(let reason): "invalid request: \(reason)"
        }
    }
}
