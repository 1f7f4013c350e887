import Foundation

/// A mailbox as written in a From or To header: an optional display name and an address.
public struct SMTPMailbox: Sendable, Equatable {
    public var displayName: String?
    public var address: String

    public init(displayName: String? = nil, address: String) {
        self.displayName = displayName
        self.address = address
    }

    /// Reads `pager@example.com`, `<pager@example.com>` or `Watchkeeper <pager@example.com>` (the
    /// name may be quoted). Nil when there is no plain address (one `@`, no spaces or brackets).
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var name: String?
        var address = trimmed
        if let open = trimmed.lastIndex(of: "<") {
            guard trimmed.hasSuffix(">") else { return nil }
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var rawName = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if rawName.count >= 2, rawName.hasPrefix("\""), rawName.hasSuffix("\"") {
                rawName = String(rawName.dropFirst().dropLast())
            }
            name = rawName.isEmpty ? nil : rawName
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, SMTPClient.isEnvelopeSafe(address),
              !address.contains(where: { $0 == "\"" || $0 == "," || $0 == "(" || $0 == ")" || $0 == ";" })
        else { return nil }
        self.displayName = name
        self.address = address
    }

    /// The part after the `@` (for Message-IDs).
    public var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }
}
