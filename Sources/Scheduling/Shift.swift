import Foundation

/// A maximal continuous interval `[start, end)` in which a user is on call (clipped to the
/// requested range), with every reason that applied somewhere in it, in order of first appearance.
public struct Shift: Sendable, Codable, Hashable {
    public var userId: String
    public var start: Date
    public var end: Date
    public var reasons: [OnCallReason]

    public init(userId: String, start: Date, end: Date, reasons: [OnCallReason]) {
        self.userId = userId
        self.start = start
        self.end = end
        self.reasons = reasons
    }
}
