import Foundation
import OutboundHTTP

/// An "smtp" gateway's object in the gateways file (docs/EMAIL-AND-CHAT.md).
struct SMTPSettings: Decodable, Sendable {
    /// `smtp://host:587` (STARTTLS) or `smtps://host:465` (implicit TLS).
    var url: String
    var username: String?
    var password: Secret?
    var from: SMTPMailbox
    /// For smtp:// only: refuse to send without STARTTLS. Default true; false only for a relay on
    /// the same host.
    var starttls: Bool
    var timeout: TimeInterval

    private enum CodingKeys: String, CodingKey { case url, username, password, from, starttls, timeout }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decode(String.self, forKey: .url)
        let scheme = url.prefix { $0 != ":" }.lowercased()
        guard scheme == "smtp" || scheme == "smtps", let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .url, in: container,
                                                   debugDescription: "must be smtp://host:587 (STARTTLS) or smtps://host:465 (implicit TLS)")
        }
        username = try container.decodeIfPresent(String.self, forKey: .username)
        password = try container.decodeIfPresent(Secret.self, forKey: .password)
        guard (username == nil) == (password == nil) else {
            throw DecodingError.dataCorruptedError(forKey: .password, in: container, debugDescription: "username and password go together")
        }
        let fromText = try container.decode(String.self, forKey: .from)
        guard let mailbox = SMTPMailbox(parsing: fromText) else {
            throw DecodingError.dataCorruptedError(forKey: .from, in: container,
                                                   debugDescription: "must be an address such as \"Watchkeeper <pager@example.com>\"")
        }
        from = mailbox
        starttls = try container.decodeIfPresent(Bool.self, forKey: .starttls) ?? true
        if scheme == "smtps" && container.contains(.starttls) && starttls {
            throw DecodingError.dataCorruptedError(forKey: .starttls, in: container,
                                                   debugDescription: "smtps:// is TLS from the start; starttls applies to smtp:// only")
        }
        timeout = try container.decodeIfPresent(TimeInterval.self, forKey: .timeout) ?? 30
        guard timeout > 0, timeout <= 300 else {
            throw DecodingError.dataCorruptedError(forKey: .timeout, in: container, debugDescription: "must be between 0 and 300 seconds")
        }
    }
}
