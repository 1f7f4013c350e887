import Foundation

/// The body of a PUT that applies an `IncidentWrite` to an incident just read. ARM's PUT replaces
/// the whole incident, so every writable field is sent (a PUT without `owner` unassigns it), with
/// the etag of the read; read-only fields never are.
public enum IncidentPutBody {
    /// Writable properties copied from the read (2025-12-01 spec; the rest are read-only).
    static let carried = ["title", "description", "severity", "status", "firstActivityTimeUtc", "lastActivityTimeUtc"]
    static let ownerFields = ["objectId", "email", "assignedTo", "userPrincipalName", "ownerType"]

    public static func make(current: [String: Any], applying write: IncidentWrite) -> [String: Any] {
        let old = current["properties"] as? [String: Any] ?? [:]
        var properties: [String: Any] = [:]
        for field in carried { if let value = old[field], !(value is NSNull) { properties[field] = value } }
        if let severity = write.severity { properties["severity"] = severity }
        if let status = write.status { properties["status"] = status }

        if let objectId = write.ownerObjectId {
            properties["owner"] = ["objectId": objectId]
        } else {
            // The owner the read returned: its object id is enough (Sentinel fills in the rest); one
            // assigned by e-mail only keeps its fields; `{}` keeps an unassigned incident unassigned.
            let owner = (old["owner"] as? [String: Any] ?? [:]).filter { ownerFields.contains($0.key) && !($0.value is NSNull) }
            properties["owner"] = (owner["objectId"] as? String).map { ["objectId": $0] } ?? owner
        }

        // labelType is read-only: send names only; keep every existing tag, add ours.
        var names = (old["labels"] as? [[String: Any]] ?? []).compactMap { $0["labelName"] as? String }
        for label in write.addLabels where !names.contains(label) { names.append(label) }
        properties["labels"] = names.map { ["labelName": $0] }

        if properties["status"] as? String == "Closed" {
            let pair = write.classification
                ?? (old["classification"] as? String).flatMap { ClosingClassification(classification: $0, reason: old["classificationReason"] as? String) }
                ?? .undetermined
            properties["classification"] = pair.classification
            if let reason = pair.reason { properties["classificationReason"] = reason }
            if let comment = write.classificationComment ?? (write.classification == nil ? old["classificationComment"] as? String : nil) {
                properties["classificationComment"] = comment
            }
        }
        var body: [String: Any] = ["properties": properties]
        if let etag = current["etag"] as? String { body["etag"] = etag }
        return body
    }

    /// `make` serialised.
    public static func bytes(current: [String: Any], applying write: IncidentWrite) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: make(current: current, applying: write), options: [.sortedKeys])) ?? Data())
    }
}
