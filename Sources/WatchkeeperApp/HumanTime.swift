import Foundation

/// Instants as people read them in messages and pages: short, unambiguous, in the reader's zone
/// ("Tue 3 Nov 09:00 CET", with the year when it may not be obvious).
enum HumanTime {
    static func format(_ date: Date, in zone: TimeZone, withYear: Bool = false) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = withYear ? "EEE d MMM yyyy HH:mm zzz" : "EEE d MMM HH:mm zzz"
        return formatter.string(from: date)
    }
}
