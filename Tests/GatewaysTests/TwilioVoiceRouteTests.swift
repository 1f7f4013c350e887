import Foundation
@testable import Gateways
import Testing

/// The TwiML of a voice page, over real sockets: the menu, replays on silence, answering
/// machines, and what each key press answers.
@Suite struct TwilioVoiceRouteTests {
    typealias Harness = TwilioInboundTests.Harness
    static let xml = #"<?xml version="1.0" encoding="UTF-8"?>"#
    static let base = "https://pager.example.eu/providers/twilio/main"

    static func harness() throws -> Harness {
        let harness = try Harness()
        harness.events.state.withLock {
            $0.scripts["m-1"] = VoiceScript(text: #"Sev 1 <ransomware> on FIN-DB-01 & "finance""#, acceptsKeys: true)
            $0.scripts["v-1"] = VoiceScript(text: "Your verification code is 4 8 2 1", acceptsKeys: false)
        }
        return harness
    }

    @Test func thePageReadsTheAlertInsideAGatherAndRedirectsOnSilence() throws {
        let harness = try Self.harness()
        defer { harness.stop() }
        let response = try harness.postSigned("/providers/twilio/main/voice/answer?page=m-1&attempt=1", TwilioInboundTests.callParameters + [("AnsweredBy", "human")])
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/xml; charset=utf-8")
        #expect(response.text == Self.xml + "<Response>"
            + #"<Gather input="dtmf" numDigits="1" timeout="8" action="\#(Self.base)/voice/gather?page=m-1&amp;attempt=1" method="POST">"#
            + #"<Say language="en-GB">This is Watchkeeper. Sev 1 &lt;ransomware&gt; on FIN-DB-01 &amp; &quot;finance&quot;. Press 1 to acknowledge, 2 to escalate, 3 to resolve.</Say></Gather>"#
            + #"<Redirect method="POST">\#(Self.base)/voice/answer?page=m-1&amp;attempt=2</Redirect></Response>"#)
        // The shared fixture's shape: Gather(Say), then Redirect.
        #expect(TwilioInboundTests.skeleton(response.text) == TwilioInboundTests.skeleton(TwilioFixtures.text("voice_page.twiml.xml")))
        #expect(harness.events.scriptRequests == ["m-1"])
    }

    @Test func theMenuIsReadAtMostThreeTimesThenTheCallEnds() throws {
        let harness = try Self.harness()
        defer { harness.stop() }
        let second = try harness.postSigned("/providers/twilio/main/voice/answer?page=m-1&attempt=2", TwilioInboundTests.callParameters).text
        #expect(!second.contains("This is Watchkeeper."))
        #expect(second.contains("attempt=2\" method=\"POST\">") && second.contains("/voice/answer?page=m-1&amp;attempt=3</Redirect>"))
        let last = try harness.postSigned("/providers/twilio/main/voice/answer?page=m-1&attempt=3", TwilioInboundTests.callParameters).text
        #expect(last.hasSuffix(#"</Gather><Say language="en-GB">No key was pressed. Goodbye.</Say><Hangup/></Response>"#))
        #expect(!last.contains("<Redirect"))
        // A larger attempt number (replayed or edited, but still signed) is treated as the last.
        let beyond = try harness.postSigned("/providers/twilio/main/voice/answer?page=m-1&attempt=9", TwilioInboundTests.callParameters).text
        #expect(beyond.contains("attempt=3\" method=\"POST\">") && beyond.hasSuffix("<Hangup/></Response>"))
    }

    @Test func anAnsweringMachineGetsAShortMessageWithoutTheMenu() throws {
        let harness = try Self.harness()
        defer { harness.stop() }
        for machine in ["machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other"] {
            let text = try harness.postSigned("/providers/twilio/main/voice/answer?page=m-1&attempt=1",
                                              TwilioInboundTests.callParameters + [("AnsweredBy", machine)]).text
            #expect(text == Self.xml + #"<Response><Say language="en-GB">This is Watchkeeper. Sev 1 &lt;ransomware&gt; on FIN-DB-01 &amp; &quot;finance&quot;. Please respond in Watchkeeper. Goodbye.</Say><Hangup/></Response>"#, "\(machine)")
        }
        let fax = try harness.postSigned("/providers/twilio/main/voice/answer?page=m-1&attempt=1", TwilioInboundTests.callParameters + [("AnsweredBy", "fax")]).text
        #expect(fax == Self.xml + "<Response><Hangup/></Response>")
    }

    @Test func noticesAndUnknownPagesHaveNoMenu() throws {
        let harness = try Self.harness()
        defer { harness.stop() }
        let notice = try harness.postSigned("/providers/twilio/main/voice/answer?page=v-1&attempt=1", TwilioInboundTests.callParameters).text
        #expect(notice == Self.xml + #"<Response><Say language="en-GB">This is Watchkeeper. Your verification code is 4 8 2 1. Goodbye.</Say><Hangup/></Response>"#)
        let unknown = try harness.postSigned("/providers/twilio/main/voice/answer?page=gone&attempt=1", TwilioInboundTests.callParameters).text
        #expect(unknown == Self.xml + #"<Response><Say language="en-GB">This is Watchkeeper. This page is no longer available. Goodbye.</Say><Hangup/></Response>"#)
    }

    @Test func eachKeyPressOutcomeIsSpokenThenTheCallEnds() throws {
        let harness = try Self.harness()
        defer { harness.stop() }
        let outcomes: [(KeyPressOutcome, String, String)] = [
            (.acknowledged, "1", "Acknowledged. Thank you."), (.escalated, "2", "Escalated to the next person. Goodbye."),
            (.resolved, "3", "Resolved. Thank you."), (.alreadyClosed, "1", "This alert is already closed. Goodbye."),
            (.unknownCall, "1", "This page is no longer available. Goodbye."),
        ]
        for (outcome, digits, words) in outcomes {
            harness.events.state.withLock { $0.keyOutcome = outcome }
            let text = try harness.postSigned("/providers/twilio/main/voice/gather?page=m-1&attempt=1", TwilioInboundTests.callParameters + [("Digits", digits)]).text
            #expect(text == Self.xml + #"<Response><Say language="en-GB">\#(words)</Say><Hangup/></Response>"#, "\(outcome)")
        }
        #expect(harness.events.keys.map(\.digits) == ["1", "2", "3", "1", "1"])
        #expect(harness.events.keys.allSatisfy { $0.callId == "CA0000000000000000000000000000000a" && $0.gateway == "main" })
    }

    @Test func aWrongKeyReadsTheMenuAgainUntilTheLastAttempt() throws {
        let harness = try Self.harness()
        defer { harness.stop() }
        harness.events.state.withLock { $0.keyOutcome = .unknownKey }
        let first = try harness.postSigned("/providers/twilio/main/voice/gather?page=m-1&attempt=1", TwilioInboundTests.callParameters + [("Digits", "9")]).text
        #expect(first == Self.xml + #"<Response><Say language="en-GB">9 is not one of the choices.</Say><Redirect method="POST">\#(Self.base)/voice/answer?page=m-1&amp;attempt=2</Redirect></Response>"#)
        let last = try harness.postSigned("/providers/twilio/main/voice/gather?page=m-1&attempt=3", TwilioInboundTests.callParameters + [("Digits", "#")]).text
        #expect(last == Self.xml + #"<Response><Say language="en-GB"># is not one of the choices.</Say><Say language="en-GB">Goodbye.</Say><Hangup/></Response>"#)
        // No digits at all (an empty Gather result) is silence, not a key: nothing is reported.
        let silent = try harness.postSigned("/providers/twilio/main/voice/gather?page=m-1&attempt=2", TwilioInboundTests.callParameters + [("Digits", "")]).text
        #expect(silent.contains("attempt=3</Redirect>"))
        #expect(harness.events.keys.map(\.digits) == ["9", "#"])
    }
}
