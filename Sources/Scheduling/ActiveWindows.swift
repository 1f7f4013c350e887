/// The windows of a schedule rule that uses a rotation, with the schedule's zone: what a
/// `byActiveShift` rotation needs to know whose turn it is.
public struct ActiveWindows: Sendable, Codable, Hashable {
    /// The schedule's IANA zone.
    public var timeZone: String
    /// The rule's windows; empty means always active.
    public var windows: [WeeklyWindow]

    public init(timeZone: String, windows: [WeeklyWindow]) {
        self.timeZone = timeZone
        self.windows = windows
    }
}
