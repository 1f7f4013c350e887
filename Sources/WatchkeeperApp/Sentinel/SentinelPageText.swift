import Foundation
import Sentinel

/// The alert summary a pager shows for a Sentinel incident or an Azure Monitor alert, most
/// important first, so that when an SMS must be cut (`SMSText.fit` cuts the summary's end) what
/// goes is the least useful: severity, incident number, customer or workspace, the title
/// (at most `maximumTitle` characters), then the main entities. GSM-7 characters only ("..."
/// not "…"), so a plain title keeps the cheap encoding.
/// "High #4711 law-contoso-sentinel: Multi-stage: impossible travel... / jdoe@contoso.com WS-FIN-042 203.0.113.57"
enum SentinelPageText {
    static let maximumTitle = 120
    static let maximumEntities = 4

    static func summary(_ incident: SentinelIncident, customer: String?) -> String {
        let number = incident.incidentNumber.map { " #\($0)" } ?? ""
        let place = (customer ?? incident.workspace).map { " \($0)" } ?? ""
        return "\(incident.severity.rawValue)\(number)\(place): \(shortened(incident.title))" + entityText(incident.entities)
    }

    static func summary(_ alert: AzureMonitorAlert, customer: String?) -> String {
        let place = (customer ?? alert.customProperties["customer"] ?? alert.workspace).map { " \($0)" } ?? ""
        return "\(alert.severity.rawValue) \(alert.azureSeverity)\(place): \(shortened(alert.alertRule))" + entityText(alert.entities)
    }

    /// Accounts, hosts and IPs first (what an analyst acts on), then the rest, without repeats.
    static func entityText(_ entities: [IncidentEntity]) -> String {
        let rank = { (kind: String) -> Int in ["account": 0, "host": 1, "ip": 2, "url": 3][kind.lowercased()] ?? 4 }
        var seen = Set<String>()
        let values = entities.enumerated().sorted { (rank($0.element.kind), $0.offset) < (rank($1.element.kind), $1.offset) }
            .map(\.element.value).filter { seen.insert($0.lowercased()).inserted }
        guard !values.isEmpty else { return "" }
        let shown = values.prefix(maximumEntities).joined(separator: " ")
        return " / " + shown + (values.count > maximumEntities ? " (+\(values.count - maximumEntities))" : "")
    }

    private static func shortened(_ title: String) -> String {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.count <= maximumTitle ? trimmed : String(trimmed.prefix(maximumTitle - 3)) + "..."
    }
}
