import Foundation

/// What the poller last saw for a connection (`GET /api/v1/connections/{id}/status`).
public struct ConnectionStatus: Sendable, Equatable, Encodable {
    public var id: String
    /// The end of the last poll that read every page.
    public var lastPollAt: Date?
    /// The lastModifiedTimeUtc the next poll starts from (minus the overlap window).
    public var pollCursor: String?
    public var lastError: String?
    public var lastErrorAt: Date?
    /// Until when Azure asked us to wait (429 Retry-After), and how many 429s were seen.
    public var throttledUntil: Date?
    public var throttleCount: Int

    private enum CodingKeys: String, CodingKey { case id, lastPollAt, pollCursor, lastError, lastErrorAt, throttledUntil, throttleCount }

    /// Absent values as explicit nulls, so every field is always there for the console.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(lastPollAt, forKey: .lastPollAt)
        try container.encode(pollCursor, forKey: .pollCursor)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(lastErrorAt, forKey: .lastErrorAt)
        try container.encode(throttledUntil, forKey: .throttledUntil)
        try container.encode(throttleCount, forKey: .throttleCount)
    }
}
