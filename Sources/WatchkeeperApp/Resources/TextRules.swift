import Foundation
import HTTPServer

/// Checks on free-text members shared by users, rotations and schedules.
enum TextRules {
    static let maximumNameLength = 200
    static let maximumDescriptionLength = 4000

    static func name(_ value: String, field: String = "name") -> [ProblemDetails.FieldError] {
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return [.init(field: field, detail: "must not be empty")]
        }
        if value.count > maximumNameLength {
            return [.init(field: field, detail: "must be at most \(maximumNameLength) characters")]
        }
        return []
    }
}
