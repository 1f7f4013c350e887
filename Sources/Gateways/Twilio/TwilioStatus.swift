/// Twilio's status words, as delivery reports. nil: a status we do not act on (e.g. `received`).
enum TwilioStatus {
    /// `MessageStatus` of a message status callback.
    static func message(_ word: String) -> DeliveryReport.Status? {
        switch word {
        case "accepted", "scheduled", "queued", "sending", "sent", "partially_delivered": .sent
        case "delivered", "read": .delivered
        case "failed", "undelivered", "canceled": .failed
        default: nil
        }
    }

    /// `CallStatus` of a call status callback. A completed call was answered (by someone or a
    /// machine); whether anyone acted on it is the ack timeout's business.
    static func call(_ word: String) -> DeliveryReport.Status? {
        switch word {
        case "queued", "initiated", "ringing", "in-progress", "answered": .sent
        case "completed": .delivered
        case "busy", "no-answer", "canceled", "failed": .failed
        default: nil
        }
    }
}
