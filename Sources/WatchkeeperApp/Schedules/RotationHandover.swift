import Foundation
import Scheduling

/// Keeps the person on call when a rotation's participants are reordered or some are removed:
/// the new anchor index is chosen so that whoever holds the shift containing `now` under the
/// stored rotation still holds it under the new one (see `Rotation.replacingParticipants`).
enum RotationHandover {
    /// `new` with `anchor.participantIndex` chosen so that the participant on call at `now` in
    /// `old` stays on call. When the grid changes too (anchor time, shift length, zone), that
    /// person keeps the new grid's shift containing `now`.
    /// - Parameter windows: the rule windows a `byActiveShift` rotation's turns depend on, when
    ///   one set of windows uses it; nil to count turns on the calendar grid.
    static func keepingOnCall(old: Rotation, new: Rotation, at now: Date, windows: ActiveWindows?) throws -> Rotation {
        guard old.participants != new.participants else { return new }
        let oldWindows = old.advanceMode == .byActiveShift ? windows : nil
        let newWindows = new.advanceMode == .byActiveShift ? windows : nil
        // Who is on call now, as an index into the new list, counted on the old grid.
        let target = try old.replacingParticipants(new.participants, keepingOnCallAt: now, windows: oldWindows)
            .shift(at: now, windows: oldWindows).participantIndex
        // On the new grid the index holding a turn is (anchor index + turn) mod n, so measuring
        // with anchor index 0 tells the offset to add.
        var updated = new
        updated.anchor.participantIndex = 0
        let base = try updated.shift(at: now, windows: newWindows).participantIndex
        let count = new.participants.count
        updated.anchor.participantIndex = ((target - base) % count + count) % count
        return updated
    }
}
