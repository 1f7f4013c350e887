/// Why a message is sent. Only `alert` messages are throttled per service and bundled.
public enum MessageKind: String, Codable, Sendable, CaseIterable {
    case alert
    case statusUpdate = "status-update"
    case verification
    case shiftNotice = "shift-notice"
    case test
}
