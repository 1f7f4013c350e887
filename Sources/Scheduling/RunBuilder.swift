import Foundation

/// Turns a sequence of constant segments into per-user merged shifts and explicit gaps.
struct RunBuilder {
    private struct OpenRun {
        var userId: String
        var start: Double
        var reasons: [OnCallReason]
    }

    private var open: [OpenRun] = []
    private var gapStart: Double?
    private var shifts: [Shift] = []
    private var gaps: [Gap] = []

    /// The segment starting at `start` (and lasting until the next call) has exactly `entries` on call.
    mutating func segment(at start: Double, entries: [OnCallEntry]) {
        var i = 0
        while i < open.count {
            if entries.contains(where: { $0.userId == open[i].userId }) {
                i += 1
            } else {
                close(open.remove(at: i), at: start)
            }
        }
        for entry in entries {
            if let i = open.firstIndex(where: { $0.userId == entry.userId }) {
                for reason in entry.reasons where !open[i].reasons.contains(reason) { open[i].reasons.append(reason) }
            } else {
                open.append(OpenRun(userId: entry.userId, start: start, reasons: entry.reasons))
            }
        }
        if entries.isEmpty {
            if gapStart == nil { gapStart = start }
        } else if let gap = gapStart {
            gaps.append(Gap(start: Date(timeIntervalSince1970: gap), end: Date(timeIntervalSince1970: start)))
            gapStart = nil
        }
    }

    mutating func finish(at end: Double) -> (shifts: [Shift], gaps: [Gap]) {
        for run in open { close(run, at: end) }
        open = []
        if let gap = gapStart, gap < end {
            gaps.append(Gap(start: Date(timeIntervalSince1970: gap), end: Date(timeIntervalSince1970: end)))
        }
        gapStart = nil
        shifts.sort { ($0.start, $0.userId) < ($1.start, $1.userId) }
        return (shifts, gaps)
    }

    private mutating func close(_ run: OpenRun, at end: Double) {
        shifts.append(Shift(
            userId: run.userId, start: Date(timeIntervalSince1970: run.start),
            end: Date(timeIntervalSince1970: end), reasons: run.reasons))
    }
}
