import Foundation
import Gateways
import HTTPServer

/// The writable members of a contact method, read from a request body with every fault named.
/// Built by hand from `JSONValue` (not `Decodable`) so one answer lists all bad fields at once.
struct ContactMethodBody: Sendable, Equatable {
    static let writable = ["type", "name", "address", "statusUpdates", "shiftNotices", "shiftReminders"]
    /// Members of an answer that may be sent back with a `PUT` (a GET body, edited): `id` and
    /// `userId` must match the URL, the others are ignored.
    static let readOnly = ["id", "userId", "verified", "verifiedAt", "disabled", "createdAt", "updatedAt"]

    var type: ContactMethodType
    var name: String
    var address: String
    var statusUpdates: Bool
    var shiftNotices: Bool
    var shiftReminders: Bool

    /// Reads `value`; `replacing` is the method a `PUT` replaces (nil for a `POST`). Omitted flags
    /// take the table's defaults, as a `PUT` replaces the whole method.
    init(_ value: JSONValue, userId: String, replacing id: String?) throws {
        guard case .object(let members) = value else { throw HTTPError(.badRequest, detail: "the body must be a JSON object") }
        var errors: [ProblemDetails.FieldError] = []
        let accepted = Set(Self.writable + (id == nil ? [] : Self.readOnly))
        for name in members.keys.sorted() where !accepted.contains(name) {
            let detail = id == nil && Self.readOnly.contains(name)
                ? "is assigned by the server; leave it out"
                : "unknown field; the known ones here are \(Self.writable.sorted().joined(separator: ", "))"
            errors.append(.init(field: name, detail: detail))
        }
        if let id {
            if let sent = members["id"], sent != .string(id) { errors.append(.init(field: "id", detail: "must be \(id), the id in the URL")) }
            if let sent = members["userId"], sent != .string(userId) { errors.append(.init(field: "userId", detail: "must be \(userId), the user in the URL")) }
        }

        var type: ContactMethodType?
        switch members["type"] {
        case nil: errors.append(.init(field: "type", detail: "is required"))
        case .string(let text)? where ContactMethodType(rawValue: text) != nil: type = ContactMethodType(rawValue: text)
        default: errors.append(.init(field: "type", detail: "must be one of \(ContactMethodType.allCases.map(\.rawValue).joined(separator: ", "))"))
        }

        var name = ""
        switch members["name"] {
        case nil: errors.append(.init(field: "name", detail: "is required"))
        case .string(let text)?:
            name = text.trimmingCharacters(in: .whitespacesAndNewlines)
            errors += TextRules.name(text)
        default: errors.append(.init(field: "name", detail: "must be a string"))
        }

        var address = ""
        switch members["address"] {
        case nil: errors.append(.init(field: "address", detail: "is required"))
        case .string(let text)?:
            address = text.trimmingCharacters(in: .whitespacesAndNewlines)
            // Without a valid type there is no rule to check the address against; `type` is named already.
            if let problem = type?.addressProblem(address) { errors.append(.init(field: "address", detail: problem)) }
        default: errors.append(.init(field: "address", detail: "must be a string"))
        }

        func flag(_ field: String, default value: Bool) -> Bool {
            switch members[field] {
            case nil: return value
            case .bool(let flag)?: return flag
            default:
                errors.append(.init(field: field, detail: "must be true or false"))
                return value
            }
        }
        let statusUpdates = flag("statusUpdates", default: false)
        let shiftNotices = flag("shiftNotices", default: true)
        let shiftReminders = flag("shiftReminders", default: false)

        guard errors.isEmpty, let type else {
            throw HTTPError(.badRequest, detail: errors.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: errors)
        }
        (self.type, self.name, self.address) = (type, name, address)
        (self.statusUpdates, self.shiftNotices, self.shiftReminders) = (statusUpdates, shiftNotices, shiftReminders)
    }
}
