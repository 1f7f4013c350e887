/// Why an SMTP submission did not go through. `isPermanent` tells the outbox whether to retry.
public enum SMTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The timeout passed before the server accepted the message.
    case timedOut
    /// DNS, connect, TLS handshake or certificate failure (including a server that cannot do the
    /// STARTTLS we require), or the connection dropped.
    case connectionFailed(String)
    /// The request itself cannot be sent (a malformed URL or address).
    case invalidRequest(String)
    /// The server answered with an SMTP error reply (RFC 5321 §4.2): 4xx is transient, 5xx
    /// (550 unknown mailbox, 535 authentication failed, 554 rejected) is for good.
    case rejected(code: Int, reason: String)

    public var isPermanent: Bool {
        switch self {
        case .timedOut, .connectionFailed: false
        case .invalidRequest: true
        case .rejected(let code, _): (500..<600).contains(code)
        }
    }

    public var description: String {
        switch self {
        case .timedOut: "timed out"
        case .connectionFailed(let reason): "connection failed: \(reason)"
        case .invalidRequest(let reason): "invalid request: \(reason)"
        case .rejected(let code, let reason): "SMTP \(code): \(reason)"
        }
    }
}
