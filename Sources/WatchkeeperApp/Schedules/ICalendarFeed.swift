import Foundation

/// An RFC 5545 calendar: UTC times, stable UIDs, CRLF line endings, lines folded at 75 octets.
/// Outlook and Google Calendar subscribe to it as a read-only feed.
public struct ICalendarFeed: Sendable {
    public struct Event: Sendable, Equatable {
        /// Stable across regenerations of the feed, so calendar clients update instead of duplicating.
        public var uid: String
        public var start: Date
        public var end: Date
        public var summary: String
        public var description: String?

        public init(uid: String, start: Date, end: Date, summary: String, description: String? = nil) {
            self.uid = uid
            self.start = start
            self.end = end
            self.summary = summary
            self.description = description
        }
    }

    public var name: String
    public var events: [Event]
    /// DTSTAMP of every event: when the feed was generated.
    public var generatedAt: Date

    public init(name: String, events: [Event], generatedAt: Date) {
        self.name = name
        self.events = events
        self.generatedAt = generatedAt
    }

    public static let contentType = "text/calendar; charset=utf-8"

    public func render() -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Watchkeeper//On-call schedule//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + Self.escape(name),
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
        ]
        let stamp = Self.utc(generatedAt)
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:" + Self.escape(event.uid),
                "DTSTAMP:" + stamp,
                "DTSTART:" + Self.utc(event.start),
                "DTEND:" + Self.utc(event.end),
                "SUMMARY:" + Self.escape(event.summary),
            ]
            if let description = event.description { lines.append("DESCRIPTION:" + Self.escape(description)) }
            lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20261123T120000Z`
    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// TEXT escaping of RFC 5545 §3.3.11.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default: out.append(character)
            }
        }
        return out
    }

    /// Folds a content line into 75-octet pieces, never splitting a UTF-8 character (§3.1).
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var pieces: [String] = []
        var current = ""
        var currentOctets = 0
        for character in line {
            let octets = String(character).utf8.count
            let limit = pieces.isEmpty ? 75 : 74  // continuation lines start with one space
            if currentOctets + octets > limit {
                pieces.append(current)
                current = ""
                currentOctets = 0
            }
            current.append(character)
            currentOctets += octets
        }
        pieces.append(current)
        return pieces.joined(separator: "\r\n ")
    }
}
