import Foundation

/// What a provider is given: one message, rendered, for one contact method. Bundles carry every
/// alert they fold together, each with its own ack link.
public struct OutgoingMessage: Sendable, Equatable {
    public var id: String
    public var kind: MessageKind
    public var type: ContactMethodType
    public var address: String
    public var userId: String
    public var contactMethodId: String
    /// The alerts this message is about (one, several for a bundle, none for a verification).
    public var alertIds: [String]
    public var subject: String
    /// The full text, ack links included. For `.sms` it is already fitted (`SMSText.fit`: at most
    /// 3 segments, GSM-7 whenever possible, reply codes last): send it exactly as it is, and ask
    /// `SMSText.encoding(of:)` how it travels.
    public var text: String
    /// `{public URL}/a/{token}` per alert id, in `alertIds` order.
    public var ackLinks: [String]
    /// One line per alert, in `alertIds` order, e.g. "Ransomware on FIN-DB-01 [Sev1]" (for cards,
    /// e-mail lists and voice); empty when `alertIds` is.
    public var summaries: [String]
    /// The alerts' SMS reply codes for this contact method, in `alertIds` order ("1" → the
    /// recipient answers "1a"); empty unless `type` is `.sms` and `kind` is `.alert`.
    public var replyCodes: [String]
    /// The service the alerts are on; nil for messages about no alert.
    public var serviceName: String?
    /// For `.voice`: the words to read out (no links), the same as `InboundEvents.voiceScript`
    /// gives for this message id while it is being sent; nil for other types.
    public var spokenText: String?

    public init(id: String, kind: MessageKind, type: ContactMethodType, address: String, userId: String, contactMethodId: String,
                alertIds: [String], subject: String, text: String, ackLinks: [String], summaries: [String] = [], replyCodes: [String] = [],
                serviceName: String? = nil, spokenText: String? = nil) {
        self.id = id
        self.kind = kind
        self.type = type
        self.address = address
        self.userId = userId
        self.contactMethodId = contactMethodId
        self.alertIds = alertIds
        self.subject = subject
        self.text = text
        self.ackLinks = ackLinks
        self.summaries = summaries
        self.replyCodes = replyCodes
        self.serviceName = serviceName
        self.spokenText = spokenText
    }
}

/// A provider's answer for one attempt.
public enum DeliveryResult: Sendable, Equatable {
    /// Taken by the provider; its id for later status callbacks.
    case accepted(providerMessageId: String?)
    /// Worth retrying (timeouts, 5xx, 429); `retryAfter` from the provider's `Retry-After`.
    case temporaryFailure(reason: String, retryAfter: TimeInterval?)
    /// Will never work for this recipient (bad number, unsubscribed): not retried; the user's
    /// next contact method is used.
    case permanentFailure(reason: String)
    /// The gateway itself cannot send anything (refused credentials, no credit, not configured
    /// for this channel): the next gateway of the route is tried at once; after the last one the
    /// message fails and the user's next contact method is used.
    case gatewayFailure(reason: String)
}

/// Sends messages somewhere: the console (the log and `console_messages`), Twilio, SMTP… `send`
/// blocks and is called on an outbox sender thread, never on an event loop.
public protocol MessageProvider: Sendable {
    var name: String { get }
    func supports(_ type: ContactMethodType) -> Bool
    func send(_ message: OutgoingMessage) -> DeliveryResult
}
