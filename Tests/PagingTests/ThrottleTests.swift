import Foundation
import Testing
import Paging

struct ThrottleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let throttle = Throttle.standard

    private func sends(_ secondsAgo: [TimeInterval], service: String? = "svc_a") -> [Throttle.Send] {
        secondsAgo.map { Throttle.Send(sentAt: now.addingTimeInterval(-$0), serviceId: service) }
    }

    private func wait(_ channel: Throttle.Channel, _ history: [Throttle.Send], service: String? = "svc_a", alert: Bool = true) -> TimeInterval {
        throttle.earliest(channel: channel, history: history, serviceId: service, isAlert: alert, now: now).timeIntervalSince(now)
    }

    @Test func noHistorySendsNow() {
        for channel in Throttle.Channel.allCases {
            #expect(wait(channel, []) == 0)
            #expect(wait(channel, [], alert: false) == 0)
        }
    }

    @Test func oneMessageAMinuteOnEveryChannel() {
        for channel in Throttle.Channel.allCases {
            #expect(wait(channel, sends([20])) == 40)
            #expect(wait(channel, sends([60])) == 0)
            #expect(wait(channel, sends([61, 300])) == 0)
        }
    }

    @Test func smsAtMostFiveAndVoiceThreePerFifteenMinutes() {
        // Sends 14, 11, 8, 5 and 2 minutes ago: the sixth SMS waits until the oldest is 15 minutes old.
        let five = sends([840, 660, 480, 300, 120])
        #expect(wait(.sms, five) == 60)
        #expect(wait(.sms, Array(five.dropFirst())) == 0)
        // Voice: the third most recent (8 min ago) must be 15 minutes old.
        #expect(wait(.voice, sends([480, 300, 120])) == 420)
        #expect(wait(.voice, sends([480, 300])) == 0)
        // E-mail and webhooks have only the spacing.
        #expect(wait(.email, five) == 0)
        #expect(wait(.webhook, sends([900, 600, 300, 200, 100, 70, 65])) == 0)
    }

    @Test func historyOrderDoesNotMatter() {
        #expect(wait(.sms, sends([120, 840, 300, 660, 480])) == 60)
    }

    @Test func aServicesFirstAlertIsExemptFromAnotherServicesStorm() {
        let storm = sends([840, 660, 480, 300, 10], service: "svc_storm")
        // The storm's own next SMS waits for the five-in-15-minutes window (longer than the spacing).
        #expect(wait(.sms, storm, service: "svc_storm") == 60)
        #expect(wait(.sms, storm, service: "svc_quiet") == 0)
        #expect(wait(.voice, storm, service: "svc_quiet") == 0)
        // Once the quiet service has had a message within 15 minutes, it is throttled too.
        let both = storm + sends([20], service: "svc_quiet")
        #expect(wait(.sms, both, service: "svc_quiet") == 240)
        // A message older than the window no longer counts for the exemption.
        #expect(wait(.sms, storm + sends([901], service: "svc_quiet"), service: "svc_quiet") == 0)
    }

    @Test func onlyAlertsWithAServiceAreExempt() {
        let storm = sends([30], service: "svc_storm")
        #expect(wait(.sms, storm, service: "svc_quiet", alert: false) == 30)
        #expect(wait(.sms, storm, service: nil) == 30)
    }

    @Test func historyWindowCoversEveryRule() {
        #expect(throttle.historyWindow == 900)
    }
}
