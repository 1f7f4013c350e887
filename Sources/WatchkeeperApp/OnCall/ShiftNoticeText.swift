import Foundation

/// The subject and text of a shift notice, with times in the user's zone.
struct ShiftNoticeText: Sendable, Equatable {
    var subject: String
    var body: String

    /// `end` nil: the shift runs past the range the step looked at ("until further notice").
    init(kind: ShiftNotice.Kind, scheduleName: String, start: Date, end: Date?, timeZone: TimeZone) {
        let until = end.map { "until \(Self.format($0, in: timeZone))" } ?? "until further notice"
        switch kind {
        case .started:
            subject = "On call now: \(scheduleName)"
            body = "Your on-call shift on \(scheduleName) starts now, \(until)."
        case .reminder:
            subject = "On call in 1 hour: \(scheduleName)"
            body = "Your on-call shift on \(scheduleName) starts in 1 hour at \(Self.format(start, in: timeZone)), \(until)."
        }
    }

    static func format(_ date: Date, in zone: TimeZone) -> String { HumanTime.format(date, in: zone, withYear: false) }
}
