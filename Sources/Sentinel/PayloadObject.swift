import Foundation

/// A JSON object read leniently, the way Sentinel payloads need: `null` counts as absent, a key
/// is found exactly or else case-insensitively (`alerts`/`Alerts`), unknown members are ignored.
/// `path` names the object in errors.
struct PayloadObject {
    let members: [String: Any]
    let path: String

    init(_ members: [String: Any], path: String) {
        self.members = members
        self.path = path
    }

    /// Parses `data` as a JSON object.
    static func parse(_ data: Data) throws -> PayloadObject {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw SentinelPayloadError("body", "is not valid JSON")
        }
        guard let members = value as? [String: Any] else { throw SentinelPayloadError("body", "must be a JSON object") }
        return PayloadObject(members, path: "")
    }

    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member's value, nil when absent or null.
    func value(_ key: String) -> Any? {
        let found = members[key] ?? members.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
        if found is NSNull { return nil }
        return found
    }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value as? String else { throw SentinelPayloadError(field(key), "must be a string") }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key), !text.isEmpty else { throw SentinelPayloadError(field(key), "is required") }
        return text
    }

    func int(_ key: String) throws -> Int? {
        guard let value = value(key) else { return nil }
        if let number = value as? NSNumber, let int = Int(exactly: number.doubleValue) {
            return int
        }
        if let text = value as? String, let int = Int(text) { return int }
        throw SentinelPayloadError(field(key), "must be an integer")
    }

    func object(_ key: String) throws -> PayloadObject? {
        guard let value = value(key) else { return nil }
        guard let members = value as? [String: Any] else { throw SentinelPayloadError(field(key), "must be an object") }
        return PayloadObject(members, path: field(key))
    }

    /// The member's objects; absent or null is empty, non-object items are skipped.
    func objects(_ key: String) throws -> [PayloadObject] {
        guard let value = value(key) else { return [] }
        guard let items = value as? [Any] else { throw SentinelPayloadError(field(key), "must be an array") }
        return items.enumerated().compactMap { index, item in
            (item as? [String: Any]).map { PayloadObject($0, path: "\(field(key))[\(index)]") }
        }
    }

    /// The member's strings; absent or null is empty, nulls inside are skipped.
    func strings(_ key: String) throws -> [String] {
        guard let value = value(key) else { return [] }
        guard let items = value as? [Any] else { throw SentinelPayloadError(field(key), "must be an array of strings") }
        return try items.enumerated().compactMap { index, item in
            if item is NSNull { return nil }
            guard let text = item as? String else { throw SentinelPayloadError("\(field(key))[\(index)]", "must be a string") }
            return text
        }
    }
}
