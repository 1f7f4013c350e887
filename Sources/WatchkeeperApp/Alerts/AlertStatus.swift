/// An alert's state: `triggered` → `acknowledged` → `resolved` (or straight to `resolved`).
enum AlertStatus: String, Codable, Sendable, CaseIterable {
    case triggered
    case acknowledged
    case resolved
}
