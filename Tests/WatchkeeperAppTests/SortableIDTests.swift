import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct SortableIDTests {
    @Test func laterIdsSortAfterEarlierOnesAndStayBase64URL() {
        let start = Date(timeIntervalSince1970: 1_784_000_000)
        var previous = ""
        // Steps from 1 ms to years, so every one of the time's characters changes at least once.
        for exponent in 0..<40 {
            let id = SortableID.make(prefix: "alt_", at: start.addingTimeInterval(Double(1 << exponent) / 1000))
            #expect(id.count == 20 && id.hasPrefix("alt_"))
            #expect(id.dropFirst(4).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            #expect(id > previous, "\(id) should sort after \(previous)")
            previous = id
        }
    }

    @Test func idsOfTheSameMillisecondDifferAndShareTheirTimePrefix() {
        let now = Date(timeIntervalSince1970: 1_784_000_000.123)
        let ids = (0..<1000).map { _ in SortableID.make(prefix: "msg_", at: now) }
        #expect(Set(ids).count == 1000)
        #expect(Set(ids.map { $0.prefix(12) }).count == 1)
    }
}
