import Foundation
import HTTPServer
import Storage

/// An alert as the API shows it.
struct Alert: Encodable, Sendable {
    var id: String
    var serviceId: String
    var summary: String
    var details: JSONValue
    var links: [AlertLink]
    var source: String?
    var severity: String?
    var dedupKey: String
    var urgency: AlertUrgency
    var status: AlertStatus
    var acknowledgedBy: String?
    var acknowledgedVia: String?
    var acknowledgedAt: Date?
    var resolvedBy: String?
    var resolvedVia: String?
    var resolvedAt: Date?
    var createdAt: Date
    var lastEventAt: Date
    /// Events received for this alert: the trigger that opened it and each deduplicated one.
    var eventCount: Int64

    private enum CodingKeys: String, CodingKey {
        case id, serviceId, summary, details, links, source, severity, dedupKey, urgency, status, acknowledgedBy, acknowledgedVia,
             acknowledgedAt, resolvedBy, resolvedVia, resolvedAt, createdAt, lastEventAt, eventCount
    }

    static let columns = """
        id, service_id, dedup_key, summary, details, links, source, severity, urgency, status, acknowledged_by, acknowledged_via, \
        acknowledged_at, resolved_by, resolved_via, resolved_at, created_at, last_event_at, event_count
        """

    init(row: Row) throws {
        id = try row.get("id")
        serviceId = try row.get("service_id")
        dedupKey = try row.get("dedup_key")
        summary = try row.get("summary")
        details = try JSON.decoder.decode(JSONValue.self, from: Data(try row.get("details", as: String.self).utf8))
        links = try JSON.decoder.decode([AlertLink].self, from: Data(try row.get("links", as: String.self).utf8))
        source = try row.get("source")
        severity = try row.get("severity")
        let urgencyText: String = try row.get("urgency"), statusText: String = try row.get("status")
        guard let urgency = AlertUrgency(rawValue: urgencyText), let status = AlertStatus(rawValue: statusText) else {
            throw StoredDataError("alert \(id) has urgency \(urgencyText) and status \(statusText)")
        }
        (self.urgency, self.status) = (urgency, status)
        acknowledgedBy = try row.get("acknowledged_by")
        acknowledgedVia = try row.get("acknowledged_via")
        acknowledgedAt = try row.get("acknowledged_at")
        resolvedBy = try row.get("resolved_by")
        resolvedVia = try row.get("resolved_via")
        resolvedAt = try row.get("resolved_at")
        createdAt = try row.get("created_at")
        lastEventAt = try row.get("last_event_at")
        eventCount = try row.get("event_count")
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // Every member is written, nulls included, so clients never test for absence.
        try container.encode(id, forKey: .id)
        try container.encode(serviceId, forKey: .serviceId)
        try container.encode(summary, forKey: .summary)
        try container.encode(details, forKey: .details)
        try container.encode(links, forKey: .links)
        try container.encode(source, forKey: .source)
        try container.encode(severity, forKey: .severity)
        try container.encode(dedupKey, forKey: .dedupKey)
        try container.encode(urgency, forKey: .urgency)
        try container.encode(status, forKey: .status)
        try container.encode(acknowledgedBy, forKey: .acknowledgedBy)
        try container.encode(acknowledgedVia, forKey: .acknowledgedVia)
        try container.encode(acknowledgedAt, forKey: .acknowledgedAt)
        try container.encode(resolvedBy, forKey: .resolvedBy)
        try container.encode(resolvedVia, forKey: .resolvedVia)
        try container.encode(resolvedAt, forKey: .resolvedAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastEventAt, forKey: .lastEventAt)
        try container.encode(eventCount, forKey: .eventCount)
    }
}
