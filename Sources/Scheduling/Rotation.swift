/// An ordered list of participants taking turns in shifts of a fixed length.
public struct Rotation: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var name: String
    /// IANA time zone in which `anchor.start` and local-time shift lengths are read.
    public var timeZone: String
    /// User ids in turn order; a user may appear more than once.
    public var participants: [String]
    public var shiftLength: ShiftLength
    public var anchor: RotationAnchor
    /// Only matters when a schedule rule with windows uses the rotation; see `AdvanceMode`.
    public var advanceMode: AdvanceMode

    public init(
        id: String, name: String = "", timeZone: String, participants: [String],
        shiftLength: ShiftLength, anchor: RotationAnchor, advanceMode: AdvanceMode = .byCalendar
    ) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.participants = participants
        self.shiftLength = shiftLength
        self.anchor = anchor
        self.advanceMode = advanceMode
    }
}
