import Foundation
import Synchronization

/// The UTC offsets of one IANA zone as a table of transitions, so converting between instants and
/// local wall-clock time is a binary search instead of a Foundation `Calendar` call.
///
/// Local time is measured as "local seconds": seconds since 1970-01-01T00:00 on the zone's wall
/// clock. Converting local time to an instant applies the PRODUCT.md time rules:
/// - a local time in a spring-forward gap moves forward by the gap's length (02:30 → 03:30; on
///   Lord Howe 02:15 → 02:45), i.e. it is read with the offset in force *before* the transition;
/// - a local time that happens twice (fall-back) means the first occurrence, which is also the
///   offset in force before the transition.
/// Both cases reduce to: within `[t + min(a, b), t + max(a, b))` of a transition at instant `t` from
/// offset `a` to `b`, use `a`. The table covers 1900–2200 (Foundation's tzdata); outside it the
/// nearest offset is used.
public struct ZoneRules: Sendable, Hashable {
    /// The IANA identifier, e.g. "Europe/Oslo".
    public let identifier: String
    /// Transition instants (seconds since 1970, UTC), ascending.
    let transitions: [Double]
    /// Offset (seconds east of UTC) in force from `transitions[i]` on.
    let offsetsAfter: [Double]
    /// Offset before the first transition.
    let initialOffset: Double
    /// `transitions[i] + max(before, after)`: from this local time on, local times map with `offsetsAfter[i]`.
    let localThresholds: [Double]

    init(identifier: String, initialOffset: Double, transitions: [(instant: Double, offset: Double)]) {
        self.identifier = identifier
        self.initialOffset = initialOffset
        self.transitions = transitions.map(\.instant)
        self.offsetsAfter = transitions.map(\.offset)
        var thresholds: [Double] = []
        thresholds.reserveCapacity(transitions.count)
        var before = initialOffset
        for transition in transitions {
            thresholds.append(transition.instant + max(before, transition.offset))
            before = transition.offset
        }
        self.localThresholds = thresholds
    }

    /// Seconds east of UTC at an instant.
    func offset(at instant: Double) -> Double {
        let i = Self.lastIndex(in: transitions, notAbove: instant)
        return i < 0 ? initialOffset : offsetsAfter[i]
    }

    /// Local seconds of an instant.
    func local(_ instant: Double) -> Double {
        instant + offset(at: instant)
    }

    /// The instant of a local wall-clock time, with the gap and fall-back rules above.
    func instant(local: Double) -> Double {
        let i = Self.lastIndex(in: localThresholds, notAbove: local)
        return local - (i < 0 ? initialOffset : offsetsAfter[i])
    }

    /// The first transition instant after `instant`, if any.
    func nextTransition(after instant: Double) -> Double? {
        let i = Self.lastIndex(in: transitions, notAbove: instant) + 1
        return i < transitions.count ? transitions[i] : nil
    }

    /// Index of the last element `<= value`, or -1.
    private static func lastIndex(in sorted: [Double], notAbove value: Double) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) >> 1
            if sorted[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }

    /// The rules of an IANA zone, or nil when the identifier is not a known IANA zone.
    /// Built once per identifier (about 1 ms) and kept in a process-wide, lock-protected cache.
    public static func named(_ identifier: String) -> ZoneRules? {
        if let cached = cache.withLock({ $0[identifier] }) { return cached }
        guard let rules = build(identifier) else { return nil }
        cache.withLock { $0[identifier] = rules }
        return rules
    }

    /// True when `identifier` names an IANA zone of this system's tzdata. Foundation's list of
    /// known identifiers lags tzdata (it lacks "Asia/Kolkata"), so any "Area/Location" name that
    /// Foundation resolves counts too; offsets such as "GMT+1" do not.
    public static func isKnown(_ identifier: String) -> Bool {
        named(identifier) != nil
    }

    private static func isIANAName(_ identifier: String) -> Bool {
        guard TimeZone(identifier: identifier) != nil else { return false }
        return identifier == "UTC" || identifier == "GMT" || identifier.contains("/") || knownIdentifiers.contains(identifier)
    }

    private static let knownIdentifiers: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers)

    private static let cache = Mutex<[String: ZoneRules]>([:])

    private static let tableStart = Date(timeIntervalSince1970: -2_208_988_800)  // 1900-01-01Z
    private static let tableEnd = Date(timeIntervalSince1970: 7_258_118_400)  // 2200-01-01Z

    private static func build(_ identifier: String) -> ZoneRules? {
        guard isIANAName(identifier), let zone = TimeZone(identifier: identifier) else { return nil }
        let initial = Double(zone.secondsFromGMT(for: tableStart))
        var transitions: [(instant: Double, offset: Double)] = []
        var cursor = tableStart
        var previous = initial
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < tableEnd {
            let offset = Double(zone.secondsFromGMT(for: next))
            // Foundation also reports transitions that only rename the zone; they change nothing here.
            if offset != previous {
                transitions.append((next.timeIntervalSince1970, offset))
                previous = offset
            }
            cursor = next
        }
        return ZoneRules(identifier: identifier, initialOffset: initial, transitions: transitions)
    }
}
