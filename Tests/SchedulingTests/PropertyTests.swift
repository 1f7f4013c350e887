import Foundation
import Testing
@testable import Scheduling

/// Invariants over thousands of random configurations. Each case has its own seed, printed on
/// failure; replay one with `RandomConfiguration(seed:)`.
struct PropertyTests {
    static let baseSeed: UInt64 = 0x5EED_2024

    @Test func schedulesTileTheRangeAndAgreeWithOnCall() throws {
        print("PropertyTests.schedulesTileTheRangeAndAgreeWithOnCall base seed \(Self.baseSeed)")
        for i in 0..<1500 {
            let seed = Self.baseSeed &+ UInt64(i)
            var random = RandomConfiguration(seed: seed)
            let (schedule, rotations, from, to) = random.scenario()
            #expect(schedule.validate().isEmpty, "seed \(seed)")
            let result = try schedule.shifts(from: from, to: to, rotations: rotations)
            checkTiling(result, seed: seed)

            var probes = (0..<6).map { _ in from.addingTimeInterval(Double.random(in: 0..<to.timeIntervalSince(from), using: &random.rng)) }
            // Boundaries are where half-open mistakes show.
            for shift in result.shifts.prefix(6) {
                probes.append(shift.start)
                if shift.end < to { probes.append(shift.end) }
            }
            for t in probes {
                let entries = try schedule.onCall(at: t, rotations: rotations)
                let covering = result.shifts.filter { $0.start <= t && t < $0.end }
                #expect(entries.map(\.userId) == covering.map(\.userId).sorted(), "seed \(seed) at \(iso(t))")
                for entry in entries {
                    let shiftReasons = covering.first { $0.userId == entry.userId }?.reasons ?? []
                    #expect(entry.reasons.allSatisfy(shiftReasons.contains), "seed \(seed) at \(iso(t)) \(entry.userId)")
                }
                let inGap = result.gaps.contains { $0.start <= t && t < $0.end }
                #expect(inGap == entries.isEmpty, "seed \(seed) at \(iso(t))")
            }
        }
    }

    func checkTiling(_ result: ScheduleShifts, seed: UInt64) {
        for shift in result.shifts {
            #expect(shift.start < shift.end && shift.start >= result.from && shift.end <= result.to, "seed \(seed)")
            #expect(!shift.reasons.isEmpty, "seed \(seed)")
        }
        // One user's shifts neither overlap nor touch (they are merged).
        for user in Set(result.shifts.map(\.userId)) {
            let mine = result.shifts.filter { $0.userId == user }.sorted { $0.start < $1.start }
            for (a, b) in zip(mine, mine.dropFirst()) { #expect(a.end < b.start, "seed \(seed) user \(user)") }
        }
        for gap in result.gaps {
            #expect(gap.start < gap.end, "seed \(seed)")
            #expect(!result.shifts.contains { $0.start < gap.end && gap.start < $0.end }, "seed \(seed) gap overlaps a shift")
        }
        for (a, b) in zip(result.gaps, result.gaps.dropFirst()) { #expect(a.end < b.start, "seed \(seed)") }
        // Shifts and gaps together cover [from, to) without holes.
        let intervals = (result.shifts.map { ($0.start, $0.end) } + result.gaps.map { ($0.start, $0.end) }).sorted { $0.0 < $1.0 }
        var covered = result.from
        for (start, end) in intervals {
            #expect(start <= covered, "seed \(seed) hole at \(iso(covered))")
            covered = max(covered, end)
        }
        #expect(covered == result.to, "seed \(seed)")
    }

    @Test func anOverrideChangesExactlyItsSpan() throws {
        print("PropertyTests.anOverrideChangesExactlyItsSpan base seed \(Self.baseSeed &+ 1_000_000)")
        for i in 0..<1500 {
            let seed = Self.baseSeed &+ 1_000_000 &+ UInt64(i)
            var random = RandomConfiguration(seed: seed)
            let (schedule, rotations, from, to) = random.scenario()
            let extra = random.override(id: "extra", from: from, to: to)
            var changed = schedule
            changed.overrides.append(extra)
            let before = try schedule.shifts(from: from, to: to, rotations: rotations)
            let after = try changed.shifts(from: from, to: to, rotations: rotations)
            // Compare the on-call sets at every boundary of either result, and at random instants.
            var probes = Set(before.shifts.flatMap { [$0.start, $0.end] } + after.shifts.flatMap { [$0.start, $0.end] })
            for _ in 0..<10 { probes.insert(from.addingTimeInterval(Double.random(in: 0..<to.timeIntervalSince(from), using: &random.rng))) }
            for t in probes where t < to {
                let a = try schedule.onCall(at: t, rotations: rotations)
                let b = try changed.onCall(at: t, rotations: rotations)
                if t < extra.start || t >= extra.end {
                    #expect(a == b, "seed \(seed) at \(iso(t))")
                } else if schedule.temporarySchedules.contains(where: { $0.start <= t && t < $0.end }) {
                    #expect(a == b, "seed \(seed) at \(iso(t)): overrides do nothing under a temporary schedule")
                }
            }
        }
    }

    @Test func rotationShiftsTileAndHandOffAtTheAnchorsLocalTime() throws {
        print("PropertyTests.rotationShiftsTileAndHandOffAtTheAnchorsLocalTime base seed \(Self.baseSeed &+ 2_000_000)")
        for i in 0..<3000 {
            let seed = Self.baseSeed &+ 2_000_000 &+ UInt64(i)
            var random = RandomConfiguration(seed: seed)
            let r = random.rotation(id: "r", zone: random.pick(RandomConfiguration.zones))
            let from = random.instant()
            let to = from.addingTimeInterval(Double(random.int(3600...120 * 86_400)))
            let shifts = try r.shifts(from: from, to: to)
            #expect(shifts.first?.start == from && shifts.last?.end == to, "seed \(seed)")
            for (a, b) in zip(shifts, shifts.dropFirst()) {
                #expect(a.end == b.start && a.start < a.end, "seed \(seed)")
                #expect(b.participantIndex == (a.participantIndex + 1) % r.participants.count, "seed \(seed)")
            }
            let zone = try #require(TimeZone(identifier: r.timeZone))
            // Independent check with Foundation's offsets: interior handoffs are at the anchor's
            // local time, or later by exactly a spring-forward gap, and never the second
            // occurrence of a repeated time.
            for shift in shifts.dropFirst() {
                let h = shift.start
                if r.shiftLength.unit == .hours {
                    let next = try r.shift(at: h)
                    #expect(next.end.timeIntervalSince(next.start) == Double(r.shiftLength.count) * 3600, "seed \(seed)")
                    continue
                }
                let localSeconds = Int(h.timeIntervalSince1970) + zone.secondsFromGMT(for: h)
                let timeOfDay = ((localSeconds % 86_400) + 86_400) % 86_400
                let expected = r.anchor.start.time.secondsOfDay
                if timeOfDay != expected {
                    let jump = zone.secondsFromGMT(for: h) - zone.secondsFromGMT(for: h.addingTimeInterval(-10_800))
                    #expect(jump > 0 && timeOfDay == expected + jump, "seed \(seed) handoff \(iso(h))")
                }
                for earlier in [1800.0, 3600.0, 7200.0] {
                    let e = h.addingTimeInterval(-earlier)
                    #expect(Int(e.timeIntervalSince1970) + zone.secondsFromGMT(for: e) != localSeconds, "seed \(seed) handoff \(iso(h)) is a second occurrence")
                }
                if r.shiftLength.unit == .months {
                    let day = CivilCalendar.date(fromDayNumber: floorDiv(localSeconds - (timeOfDay - expected), 86_400))
                    #expect(day.day == min(r.anchor.start.day, CivilCalendar.daysInMonth(year: day.year, month: day.month)), "seed \(seed) handoff \(iso(h))")
                }
            }
        }
    }

    @Test func zoneTablesAgreeWithFoundationOffsets() throws {
        var rng = SplitMix64(seed: Self.baseSeed &+ 3_000_000)
        for identifier in RandomConfiguration.zones {
            let rules = try #require(ZoneRules.named(identifier))
            let zone = try #require(TimeZone(identifier: identifier))
            for _ in 0..<2000 {
                let t = Double(Int.random(in: -2_000_000_000...4_000_000_000, using: &rng))
                #expect(rules.offset(at: t) == Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: t))), "\(identifier) at \(t)")
            }
        }
    }

    @Test func fastActiveShiftCountMatchesOnCallOverLongSpans() throws {
        // Turn numbers computed from the anchor (on-call) must match those counted while walking a
        // long range (shifts), also far from the anchor.
        print("PropertyTests.fastActiveShiftCountMatchesOnCallOverLongSpans base seed \(Self.baseSeed &+ 4_000_000)")
        for i in 0..<200 {
            let seed = Self.baseSeed &+ 4_000_000 &+ UInt64(i)
            var random = RandomConfiguration(seed: seed)
            let zone = random.pick(RandomConfiguration.zones)
            var r = random.rotation(id: "rot", zone: zone)
            r.advanceMode = .byActiveShift
            let schedule = Schedule(id: "s", timeZone: zone, rules: [
                ScheduleRule(id: "rule", target: .rotation("rot"), windows: (0..<random.int(1...3)).map { _ in random.window() }),
            ])
            let from = random.instant().addingTimeInterval(Double(random.int(-3...3)) * 365 * 86_400)
            let to = from.addingTimeInterval(60 * 86_400)
            let result = try schedule.shifts(from: from, to: to, rotations: ["rot": r])
            for shift in result.shifts.prefix(40) {
                let mid = shift.start.addingTimeInterval(shift.end.timeIntervalSince(shift.start) / 2)
                #expect(try users(schedule.onCall(at: mid, rotations: ["rot": r])) == [shift.userId], "seed \(seed) at \(iso(mid))")
            }
        }
    }
}

/// The periodic shortcut in `activeShiftCount` against the plain window-by-window count, over
/// spans of up to four years that cross many DST changes, in the same and in different zones.
struct ActiveShiftCountTests {
    @Test func shortcutEqualsWindowByWindowCount() throws {
        let baseSeed: UInt64 = 0x5EED_2024 &+ 5_000_000
        print("ActiveShiftCountTests base seed \(baseSeed)")
        for i in 0..<400 {
            let seed = baseSeed &+ UInt64(i)
            var random = RandomConfiguration(seed: seed)
            let scheduleZone = try #require(ZoneRules.named(random.pick(RandomConfiguration.zones)))
            let r = random.rotation(id: "r", zone: scheduleZone.identifier)
            let rotationZone = try #require(ZoneRules.named(r.timeZone))
            let activity = RuleActivity(windows: (0..<random.int(1...3)).map { _ in random.window() }, zone: scheduleZone)
            let turns = RotationTurns(rotation: r, zone: rotationZone, activity: activity)
            let span = switch r.shiftLength.unit {
            case .hours: 24 * 365 / r.shiftLength.count
            case .days: 365 * 4 / r.shiftLength.count
            case .weeks: 52 * 4
            case .months: 48
            }
            let k0 = random.int(-span...span)
            let k1 = k0 + random.int(0...span)
            #expect(turns.activeShiftCount(activity, from: k0, to: k1) == turns.countByWindows(activity, from: k0, to: k1),
                    "seed \(seed) shifts \(k0)..<\(k1)")
        }
    }
}
