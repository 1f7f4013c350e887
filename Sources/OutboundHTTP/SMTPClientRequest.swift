import Foundation

/// One message submission: the envelope, the RFC 5322 message and how to reach the server.
public struct SMTPClientRequest: Sendable, Equatable {
    /// `smtp://host:587` (STARTTLS when `requireTLS`) or `smtps://host:465` (TLS from the first byte).
    public var url: String
    /// Envelope sender (MAIL FROM), a bare address.
    public var from: String
    /// Envelope recipients (RCPT TO), bare addresses.
    public var recipients: [String]
    /// The whole message, headers and body, CRLF line endings, not dot-stuffed (libcurl does that).
    public var message: [UInt8]
    public var username: String?
    public var password: String?
    /// For smtp:// URLs: refuse to send unless the server upgrades with STARTTLS.
    public var requireTLS: Bool
    /// The whole exchange, connect included.
    public var timeout: TimeInterval

    public init(url: String, from: String, recipients: [String], message: [UInt8], username: String? = nil, password: String? = nil,
                requireTLS: Bool = true, timeout: TimeInterval = 30) {
        self.url = url
        self.from = from
        self.recipients = recipients
        self.message = message
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.timeout = timeout
    }
}
