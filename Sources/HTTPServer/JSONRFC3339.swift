import Foundation

/// RFC 3339 date-times, the one format Watchkeeper exchanges instants in.
///
/// `format` writes UTC with `Z`, adding milliseconds only when they are not zero
/// (`2026-11-23T12:00:00Z`, `2026-11-23T12:00:00.250Z`). `parse` is strict: a full date, `T`, a
/// full time with optional fractional seconds, and `Z` or a `±HH:MM` offset (`t` and `z` may be
/// lower case, as RFC 3339 §5.6 allows). It refuses a leap second (`:60`), which `Date` cannot
/// hold, and fractions beyond nanoseconds are truncated.
///
/// (Kept in a `JSON`-named file because this module's file names are shared between teams.)
public enum RFC3339 {
    public static func format(_ date: Date) -> String {
        // Round to the millisecond first so 59.9996 s becomes the next second, not ".1000".
        let limit = 253_402_300_799_999.0 // 9999-12-31T23:59:59.999Z
        let milliseconds = Int64(min(max((date.timeIntervalSince1970 * 1000).rounded(), -62_167_219_200_000), limit))
        let (seconds, millisecond) = floorDivide(milliseconds, 1000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        append(&out, Int(year), width: 4); out.append(UInt8(ascii: "-"))
        append(&out, month, width: 2); out.append(UInt8(ascii: "-"))
        append(&out, day, width: 2); out.append(UInt8(ascii: "T"))
        append(&out, Int(secondOfDay / 3600), width: 2); out.append(UInt8(ascii: ":"))
        append(&out, Int(secondOfDay / 60 % 60), width: 2); out.append(UInt8(ascii: ":"))
        append(&out, Int(secondOfDay % 60), width: 2)
        if millisecond != 0 {
            out.append(UInt8(ascii: "."))
            append(&out, Int(millisecond), width: 3)
        }
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    public static func parse(_ text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.number(4), scanner.skip("-"),
              let month = scanner.number(2), scanner.skip("-"),
              let day = scanner.number(2), scanner.skip("T") || scanner.skip("t"),
              let hour = scanner.number(2), scanner.skip(":"),
              let minute = scanner.number(2), scanner.skip(":"),
              let second = scanner.number(2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = 0.0
        if scanner.skip(".") {
            var digits = 0
            var scale = 1.0
            var value = 0
            while let digit = scanner.digit() {
                if digits < 9 { value = value * 10 + digit; scale *= 10 }
                digits += 1
            }
            guard digits > 0 else { return nil }
            fraction = Double(value) / scale
        }
        var offset = 0
        if scanner.skip("Z") || scanner.skip("z") {
            offset = 0
        } else if let sign = scanner.sign(), let offsetHour = scanner.number(2), scanner.skip(":"), let offsetMinute = scanner.number(2),
                  offsetHour < 24, offsetMinute < 60 {
            offset = sign * (offsetHour * 3600 + offsetMinute * 60)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        let days = days(fromCivil: Int64(year), month, day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int? {
            guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
            defer { index += 1 }
            return Int(bytes[index] - UInt8(ascii: "0"))
        }

        /// Exactly `count` digits.
        mutating func number(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }

        mutating func sign() -> Int? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }

    private static func append(_ out: inout [UInt8], _ value: Int, width: Int) {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var rest = value
        for position in stride(from: width - 1, through: 0, by: -1) {
            digits[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        out += digits
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Proleptic Gregorian conversions between days since 1970-01-01 and (year, month, day), after
    // Howard Hinnant's "chrono-compatible low-level date algorithms".
    private static func days(fromCivil year: Int64, _ month: Int, _ day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
