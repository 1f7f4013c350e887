/// How a rotation used by a schedule rule with weekly windows advances.
///
/// Definitions, with the rotation's calendar grid of shifts `G_k = [h_k, h_k+1)`, where `h_0` is
/// the anchor handoff and `h_k` follows from the shift length:
/// - `byCalendar`: shift `G_k` belongs to participant `(anchor.participantIndex + k) mod n`,
///   whether or not the rule is active during it (GoAlert's behaviour; under a Mon–Fri rule a
///   daily rotation of 7 people never reaches two of them).
/// - `byActiveShift`: a grid shift is *active* for a rule when the rule's windows are active at
///   some instant inside it. Only active shifts consume a turn: the first active shift at or after
///   `h_0` belongs to `anchor.participantIndex`, each later active shift to the next participant,
///   and the last active shift before `h_0` to the previous one. Inactive shifts are skipped.
///   So a Mon–Fri 09:00–17:00 rule with a daily rotation [A, B, C] gives Mon A, Tue B, Wed C,
///   Thu A, Fri B, next Mon C; a 4-hour rotation gives 09–13 A, 13–17 B, next day 09–13 C; a
///   weekly or monthly rotation behaves as `byCalendar` (every such shift contains active time).
///   Handoffs still happen on the grid: anchor the rotation at (or before) the window's start,
///   e.g. 22:00 for a 22:00–06:00 window, or a night is split between two people.
///   A rule without windows is always active, so both modes agree. The rotation on its own
///   (`Rotation.shifts`) always follows the calendar grid.
public enum AdvanceMode: String, Sendable, Codable, Hashable {
    case byCalendar
    case byActiveShift
}
