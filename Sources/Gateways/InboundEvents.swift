import Foundation

/// What the gateways' inbound routes hand to the paging side, once the provider's signature has
/// been checked. Implemented by the server (WatchkeeperApp); every call is idempotent per
/// provider id, so a provider's retried webhook has no second effect.
public protocol InboundEvents: Sendable {
    /// An SMS from a phone: a reply code, STOP/START, or anything else. Returns the text to answer
    /// with, or nil for no answer.
    func smsReceived(_ sms: InboundSMS) -> String?
    /// A key pressed during a voice page (1 acknowledge, 2 escalate, 3 resolve).
    func keyPressed(_ press: KeyPress) -> KeyPressOutcome
    /// A delivery report for a message or call we sent.
    func deliveryReported(_ report: DeliveryReport)
    /// What a voice call placed for outbox message `messageId` should say; nil when unknown.
    func voiceScript(messageId: String) -> VoiceScript?
}

public struct InboundSMS: Sendable, Equatable {
    /// The gateway's name in the gateways file.
    public var gateway: String
    /// The provider's id of the inbound message (Twilio MessageSid, Vonage messageId): replays
    /// with the same id have no second effect.
    public var providerMessageId: String
    /// E.164 with the leading "+".
    public var from: String
    public var to: String
    public var text: String

    public init(gateway: String, providerMessageId: String, from: String, to: String, text: String) {
        self.gateway = gateway
        self.providerMessageId = providerMessageId
        self.from = from
        self.to = to
        self.text = text
    }
}

public struct KeyPress: Sendable, Equatable {
    public var gateway: String
    /// The call's provider id (Twilio CallSid, Vonage uuid), as returned when it was placed.
    public var callId: String
    public var digits: String

    public init(gateway: String, callId: String, digits: String) {
        self.gateway = gateway
        self.callId = callId
        self.digits = digits
    }
}

public enum KeyPressOutcome: Sendable, Equatable {
    case acknowledged, escalated, resolved
    /// The alert was already acknowledged/resolved (by someone else or earlier).
    case alreadyClosed
    /// Not 1, 2 or 3: the gateway reads the choices again.
    case unknownKey
    /// No message was sent for this call.
    case unknownCall
}

public struct DeliveryReport: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Handed to the carrier; the call is ringing or answered.
        case sent
        case delivered
        /// Failed for good (bad number, no answer, busy, undelivered).
        case failed
    }

    public var gateway: String
    /// The provider id returned when the message was accepted (Twilio SID, Vonage message id/uuid).
    public var providerMessageId: String
    public var status: Status
    /// The provider's own status word and error code, for the timeline.
    public var detail: String

    public init(gateway: String, providerMessageId: String, status: Status, detail: String) {
        self.gateway = gateway
        self.providerMessageId = providerMessageId
        self.status = status
        self.detail = detail
    }
}

/// The words of a voice page.
public struct VoiceScript: Sendable, Equatable {
    /// Read out after the greeting, e.g. "Watchkeeper alert on SOC Tier 1: Sev 1, ransomware on FIN-DB-01".
    public var text: String
    /// Whether keys 1/2/3 act on an alert (false for verification codes and notices).
    public var acceptsKeys: Bool

    public init(text: String, acceptsKeys: Bool) {
        self.text = text
        self.acceptsKeys = acceptsKeys
    }
}
