/// How a contact method reaches its user; the provider for each is chosen by the outbox.
/// `slack` and `teams` are incoming-webhook URLs of a channel (sent by the webhook gateway).
public enum ContactMethodType: String, Codable, Sendable, CaseIterable {
    case sms, voice, email, webhook, slack, teams
}
