import Foundation

/// A Sentinel UTC time (`lastModifiedTimeUtc`) with its full precision: Sentinel writes 0 to 7
/// fractional digits (100 ns ticks), more than a `Date` keeps exactly. `text` is normalised to
/// exactly 7 digits (`2025-03-14T02:58:11.5102944Z`), so comparing texts compares times.
public struct SentinelTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let text: String

    /// Parses `yyyy-MM-ddTHH:mm:ss[.f…]Z` (also `+00:00`); nil for anything else.
    public init?(_ raw: String) {
        let scalars = Array(raw.utf8)
        guard scalars.count >= 20 else { return nil }
        let digit = { (i: Int) in scalars[i] >= 48 && scalars[i] <= 57 }
        let layout: [(Int, UInt8?)] = [(4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")), (10, nil), (13, UInt8(ascii: ":")), (16, UInt8(ascii: ":"))]
        for i in 0..<19 where !layout.contains(where: { $0.0 == i }) { guard digit(i) else { return nil } }
        for (i, byte) in layout {
            if let byte { guard scalars[i] == byte else { return nil } } else { guard scalars[i] == UInt8(ascii: "T") || scalars[i] == UInt8(ascii: "t") else { return nil } }
        }
        var index = 19
        var fraction = ""
        if index < scalars.count, scalars[index] == UInt8(ascii: ".") {
            index += 1
            while index < scalars.count, digit(index) { fraction.append(Character(UnicodeScalar(scalars[index]))); index += 1 }
            guard !fraction.isEmpty, fraction.count <= 7 else { return nil }
        }
        let zone = String(decoding: scalars[index...], as: UTF8.self)
        guard zone == "Z" || zone == "z" || zone == "+00:00" || zone == "-00:00" else { return nil }
        let head = String(decoding: scalars[0..<10], as: UTF8.self) + "T" + String(decoding: scalars[11..<19], as: UTF8.self)
        text = head + "." + fraction.padding(toLength: 7, withPad: "0", startingAt: 0) + "Z"
    }

    /// Whole milliseconds (for display and clocks, never for comparing versions).
    public var date: Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let millis = String(text.prefix(23)) + "Z"
        return formatter.date(from: millis) ?? Date(timeIntervalSince1970: 0)
    }

    public var description: String { text }

    public static func < (lhs: SentinelTimestamp, rhs: SentinelTimestamp) -> Bool { lhs.text < rhs.text }
}
