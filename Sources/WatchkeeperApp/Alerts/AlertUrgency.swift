/// `high` pages people; `low` records and notifies quietly. A service's default, an alert's own.
enum AlertUrgency: String, Codable, Sendable, CaseIterable {
    case high
    case low
}
