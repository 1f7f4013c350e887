import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct OutboxBackoffTests {
    @Test func doublesFromFiveSecondsUpToTenMinutes() {
        // random 0.5 = no jitter.
        let delays = (1...9).map { RetryBackoff.delay(afterAttempt: $0, retryAfter: nil, random: 0.5) }
        #expect(delays == [5, 10, 20, 40, 80, 160, 320, 600, 600])
    }

    @Test func jitterIsTwentyPercentEitherWay() {
        #expect(abs(RetryBackoff.delay(afterAttempt: 2, retryAfter: nil, random: 0) - 8) < 1e-9)
        #expect(abs(RetryBackoff.delay(afterAttempt: 2, retryAfter: nil, random: 1) - 12) < 1e-9)
        #expect(abs(RetryBackoff.delay(afterAttempt: 50, retryAfter: nil, random: 1) - 720) < 1e-9)
    }

    @Test func retryAfterWinsOnlyWhenLonger() {
        #expect(RetryBackoff.delay(afterAttempt: 1, retryAfter: 30, random: 0.5) == 30)
        #expect(RetryBackoff.delay(afterAttempt: 4, retryAfter: 30, random: 0.5) == 40)
    }
}
