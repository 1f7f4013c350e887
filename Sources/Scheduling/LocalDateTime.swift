/// A wall-clock date and time (minute precision) in some zone, encoded as "YYYY-MM-DDTHH:MM".
public struct LocalDateTime: Sendable, Codable, Hashable, CustomStringConvertible {
    public var year: Int
    /// 1–12.
    public var month: Int
    /// 1–31, at most the month's length.
    public var day: Int
    public var time: LocalTime

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.time = LocalTime(hour: hour, minute: minute)
    }

    /// Parses "YYYY-MM-DDTHH:MM"; nil when malformed. Calendar checks are left to validation.
    public init?(_ text: String) {
        let halves = text.split(separator: "T", omittingEmptySubsequences: false)
        guard halves.count == 2, let time = LocalTime(String(halves[1])) else { return nil }
        let date = halves[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2,
              let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2])
        else { return nil }
        self.init(year: year, month: month, day: day, hour: time.hour, minute: time.minute)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = LocalDateTime(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected YYYY-MM-DDTHH:MM, got \"\(text)\"")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        func two(_ n: Int) -> String { (n < 10 ? "0" : "") + "\(n)" }
        let yearText = String(repeating: "0", count: max(0, 4 - "\(year)".count)) + "\(year)"
        return "\(yearText)-\(two(month))-\(two(day))T\(time)"
    }

    /// True for an existing calendar date between 1900 and 2199 with a time 00:00–23:59
    /// (the span the zone tables cover).
    public var isValid: Bool {
        (1900...2199).contains(year) && (1...12).contains(month)
            && (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day)
            && time.isValidTimeOfDay
    }

    /// Days since 1970-01-01 of the date part.
    var dayNumber: Int { CivilCalendar.dayNumber(year: year, month: month, day: day) }

    /// Local seconds (see `ZoneRules`).
    var localSeconds: Double {
        Double(dayNumber) * CivilCalendar.secondsPerDay + Double(time.secondsOfDay)
    }
}
