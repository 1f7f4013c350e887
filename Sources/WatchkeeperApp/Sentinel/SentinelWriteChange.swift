import Foundation

/// Our intended change to one incident: the fields we set (nil: keep Sentinel's) and the comment
/// we add. Consecutive writes of one incident merge into one PUT (later fields win).
struct SentinelWriteChange: Codable, Sendable, Equatable {
    /// The acknowledging user's object id in the connection's tenant; nil keeps Sentinel's owner.
    var ownerObjectId: String?
    /// `Active` (acknowledged) or `Closed` (resolved).
    var status: String?
    var severity: String?
    var classification: SentinelWriteClassification?
    var classificationComment: String?
    /// Added as a comment after the PUT; nil: none.
    var comment: String?
    /// When the owner and the severity were changed here (last writer wins, by time).
    var ownerSetAt: Date?
    var severitySetAt: Date?

    /// What Sentinel's fields were as we last saw them, and when someone else last changed them.
    struct Known: Sendable, Equatable {
        var ownerObjectId: String?
        var severity: String?
        var ownerChangedAt: Date?
        var severityChangedAt: Date?

        /// After reading `incident`: a field that differs from what we knew was changed by
        /// someone else, at the latest at the incident's lastModifiedTimeUtc (the first time we see it).
        func observing(_ incident: SentinelSyncIncident) -> Known {
            var next = self
            if incident.ownerObjectId != ownerObjectId?.lowercased() {
                (next.ownerObjectId, next.ownerChangedAt) = (incident.ownerObjectId, incident.lastModified)
            }
            if incident.severity != severity { (next.severity, next.severityChangedAt) = (incident.severity, incident.lastModified) }
            return next
        }
    }

    var changesIncident: Bool { ownerObjectId != nil || status != nil || severity != nil }

    /// `later` applied after this one.
    func merged(with later: SentinelWriteChange) -> SentinelWriteChange {
        var result = self
        if let owner = later.ownerObjectId { (result.ownerObjectId, result.ownerSetAt) = (owner, later.ownerSetAt) }
        // Closed wins over Active whichever came first: a resolved alert stays resolved.
        if let status = later.status, result.status != "Closed" { result.status = status }
        if later.status == "Closed" {
            result.classification = later.classification
            result.classificationComment = later.classificationComment
        }
        if let severity = later.severity { (result.severity, result.severitySetAt) = (severity, later.severitySetAt) }
        result.comment = nil
        return result
    }

    /// The writable properties of the PUT: Sentinel's current ones (`current`, as read by a GET),
    /// with only our fields changed; nil when the PUT would change nothing. PUT is a full replace,
    /// so everything writable is sent back (an omitted owner would unassign the incident).
    /// `defaultClassification`: used when a resolve named none.
    /// `known`: Sentinel's fields as last seen, already updated with `current` (`Known.observing`);
    /// a field someone else changed after we made our change keeps their value.
    func apply(to current: [String: JSONValue], known: Known? = nil,
               defaultClassification: SentinelWriteClassification = .standardDefault) -> [String: JSONValue]? {
        func theirsIsNewer(_ changedAt: Date?, ours setAt: Date?) -> Bool {
            guard let changedAt, let setAt else { return false }
            return changedAt > setAt
        }
        var next: [String: JSONValue] = [:]
        for field in Self.carried { if let value = current[field], value != .null { next[field] = value } }
        // labelType is read-only: only the names go back.
        if case .array(let labels)? = current["labels"] {
            next["labels"] = .array(labels.compactMap { label -> JSONValue? in
                guard case .object(let fields) = label, let name = fields["labelName"] else { return nil }
                return ["labelName": name]
            })
        }
        if case .object(let owner)? = current["owner"] {
            let kept = owner.filter { $0.value != .null }
            if !kept.isEmpty { next["owner"] = .object(kept) }
        }
        let currentStatus = current["status"].flatMap { if case .string(let text) = $0 { text } else { nil } }
        var changed = false
        if let ownerObjectId, Self.ownerId(current) != ownerObjectId.lowercased(), !theirsIsNewer(known?.ownerChangedAt, ours: ownerSetAt) {
            next["owner"] = ["objectId": .string(ownerObjectId)]
            changed = true
        }
        let currentSeverity: String? = if case .string(let text)? = current["severity"] { text } else { nil }
        if let severity, currentSeverity != severity, !theirsIsNewer(known?.severityChangedAt, ours: severitySetAt) {
            next["severity"] = .string(severity)
            changed = true
        }
        // Sentinel's close wins over our acknowledge, and a close there keeps its classification.
        if status == "Closed", currentStatus != "Closed" {
            let pair = classification ?? defaultClassification
            next["status"] = "Closed"
            next["classification"] = .string(pair.classification)
            if let reason = pair.reason { next["classificationReason"] = .string(reason) } else { next["classificationReason"] = nil }
            if let classificationComment { next["classificationComment"] = .string(String(classificationComment.prefix(1000))) }
            changed = true
        } else if status == "Active", currentStatus == "New" {
            next["status"] = "Active"
            changed = true
        }
        if next["status"] != "Closed" {
            next["classification"] = nil
            next["classificationReason"] = nil
            next["classificationComment"] = nil
        }
        return changed ? next : nil
    }

    /// Writable fields sent back as read.
    static let carried = ["title", "description", "severity", "status", "labels", "firstActivityTimeUtc", "lastActivityTimeUtc",
                          "classification", "classificationReason", "classificationComment"]

    static func ownerId(_ properties: [String: JSONValue]) -> String? {
        guard case .object(let owner)? = properties["owner"], case .string(let id)? = owner["objectId"] else { return nil }
        return id.lowercased()
    }
}
