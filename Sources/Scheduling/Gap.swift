import Foundation

/// A maximal interval `[start, end)` in which nobody is on call.
public struct Gap: Sendable, Codable, Hashable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}
