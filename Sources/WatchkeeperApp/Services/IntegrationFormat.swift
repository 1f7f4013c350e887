/// The body an integration key's ingest URL accepts.
enum IntegrationFormat: String, Codable, Sendable, CaseIterable {
    /// The PagerDuty Events API v2 body.
    case eventsV2 = "events-v2"
    /// Watchkeeper's own plain body: summary, details, dedup_key, action, urgency.
    case generic
}
