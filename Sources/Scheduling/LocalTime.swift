/// A wall-clock time of day with minute precision, encoded as "HH:MM".
/// "24:00" is allowed only as the end of a rule window (until midnight).
public struct LocalTime: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    /// 0–23 (24 only for "24:00").
    public var hour: Int
    /// 0–59.
    public var minute: Int

    public init(hour: Int, minute: Int = 0) {
        self.hour = hour
        self.minute = minute
    }

    /// Parses "HH:MM" (or "H:MM"); nil when malformed. Range checks are left to validation.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), hour >= 0, minute >= 0
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = LocalTime(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected HH:MM, got \"\(text)\"")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    /// Seconds after local midnight.
    public var secondsOfDay: Int { hour * 3600 + minute * 60 }

    /// True for 00:00–23:59.
    public var isValidTimeOfDay: Bool { (0...23).contains(hour) && (0...59).contains(minute) }

    /// True for 00:00–24:00.
    public var isValidWindowEnd: Bool { isValidTimeOfDay || (hour == 24 && minute == 0) }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.secondsOfDay < rhs.secondsOfDay }
}
