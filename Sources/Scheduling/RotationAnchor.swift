/// One known handoff of a rotation: at `start` (local wall-clock time in the rotation's zone),
/// the participant at `participantIndex` begins a shift. All other handoffs follow from it.
/// A `start` in a spring-forward gap moves forward by the gap; a repeated time means the first one.
public struct RotationAnchor: Sendable, Codable, Hashable {
    public var start: LocalDateTime
    /// Index into `Rotation.participants` (0-based).
    public var participantIndex: Int

    public init(start: LocalDateTime, participantIndex: Int = 0) {
        self.start = start
        self.participantIndex = participantIndex
    }
}
