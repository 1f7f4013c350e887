/// How a contact method reaches its user; the provider for each is chosen by the outbox.
public enum ContactMethodType: String, Codable, Sendable, CaseIterable {
    case sms, voice, email, webhook
}
