import Foundation

/// Everything about a schedule in `[from, to)`: shifts and gaps together tile the range.
public struct ScheduleShifts: Sendable, Codable, Hashable {
    public var from: Date
    public var to: Date
    /// Sorted by start, then user id. One user's shifts never overlap or touch.
    public var shifts: [Shift]
    /// Sorted by start.
    public var gaps: [Gap]

    public init(from: Date, to: Date, shifts: [Shift], gaps: [Gap]) {
        self.from = from
        self.to = to
        self.shifts = shifts
        self.gaps = gaps
    }
}
