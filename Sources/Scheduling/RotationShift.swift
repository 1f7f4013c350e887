import Foundation

/// One turn of a rotation: the participant at `participantIndex` from `start` to `end`
/// (a handoff at each end, unless clipped to a requested range).
public struct RotationShift: Sendable, Codable, Hashable {
    public var participantIndex: Int
    public var userId: String
    public var start: Date
    public var end: Date

    public init(participantIndex: Int, userId: String, start: Date, end: Date) {
        self.participantIndex = participantIndex
        self.userId = userId
        self.start = start
        self.end = end
    }
}
