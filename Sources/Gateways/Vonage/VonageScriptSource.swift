import Synchronization

/// Where a call's script comes from: the server's `InboundEvents`, known once the gateway's
/// routes are mounted. Shared by every copy of the gateway value.
final class VonageScriptSource: Sendable {
    private let events = Mutex<(any InboundEvents)?>(nil)

    func attach(_ events: any InboundEvents) {
        self.events.withLock { $0 = events }
    }

    func script(messageId: String) -> VoiceScript? {
        events.withLock { $0 }?.voiceScript(messageId: messageId)
    }
}
