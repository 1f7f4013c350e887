import Foundation
import Gateways
import Synchronization

/// An `InboundEvents` that records every call and answers as told.
final class VonageRecordingEvents: InboundEvents {
    struct State {
        var sms: [InboundSMS] = []
        var keys: [KeyPress] = []
        var reports: [DeliveryReport] = []
        var scriptRequests: [String] = []
        var reply: String?
        var outcome: KeyPressOutcome = .acknowledged
        var scripts: [String: VoiceScript] = [:]
    }

    let state = Mutex(State())

    var sms: [InboundSMS] { state.withLock { $0.sms } }
    var keys: [KeyPress] { state.withLock { $0.keys } }
    var reports: [DeliveryReport] { state.withLock { $0.reports } }
    var nothingReceived: Bool { state.withLock { $0.sms.isEmpty && $0.keys.isEmpty && $0.reports.isEmpty } }

    func smsReceived(_ sms: InboundSMS) -> String? {
        state.withLock { state in
            state.sms.append(sms)
            return state.reply
        }
    }

    func keyPressed(_ press: KeyPress) -> KeyPressOutcome {
        state.withLock { state in
            state.keys.append(press)
            return state.outcome
        }
    }

    func deliveryReported(_ report: DeliveryReport) {
        state.withLock { $0.reports.append(report) }
    }

    func voiceScript(messageId: String) -> VoiceScript? {
        state.withLock { state in
            state.scriptRequests.append(messageId)
            return state.scripts[messageId]
        }
    }
}
