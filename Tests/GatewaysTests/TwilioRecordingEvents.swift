import Gateways
import Synchronization

/// An `InboundEvents` that records every call and answers as scripted, to see exactly what the
/// Twilio routes hand to the paging side (and that a refused request hands nothing).
final class TwilioRecordingEvents: InboundEvents {
    struct State {
        var sms: [InboundSMS] = []
        var keys: [KeyPress] = []
        var reports: [DeliveryReport] = []
        var scriptRequests: [String] = []
        var smsReply: String?
        var keyOutcome: KeyPressOutcome = .acknowledged
        var scripts: [String: VoiceScript] = [:]
    }

    let state = Mutex(State())

    var sms: [InboundSMS] { state.withLock { $0.sms } }
    var keys: [KeyPress] { state.withLock { $0.keys } }
    var reports: [DeliveryReport] { state.withLock { $0.reports } }
    var scriptRequests: [String] { state.withLock { $0.scriptRequests } }
    /// Nothing at all reached the paging side.
    var isUntouched: Bool { state.withLock { $0.sms.isEmpty && $0.keys.isEmpty && $0.reports.isEmpty && $0.scriptRequests.isEmpty } }

    func smsReceived(_ sms: InboundSMS) -> String? {
        state.withLock { $0.sms.append(sms); return $0.smsReply }
    }

    func keyPressed(_ press: KeyPress) -> KeyPressOutcome {
        state.withLock { $0.keys.append(press); return $0.keyOutcome }
    }

    func deliveryReported(_ report: DeliveryReport) {
        state.withLock { $0.reports.append(report) }
    }

    func voiceScript(messageId: String) -> VoiceScript? {
        state.withLock { $0.scriptRequests.append(messageId); return $0.scripts[messageId] }
    }
}
