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

    /// The first account, host, IP and URL (what an analyst acts on), then the others in the
    /// same order, without repeats: eight hosts do not push the one IP out.
    static func entityText(_ entities: [IncidentEntity]) -> String {
        let rank = { (kind: String) -> Int in ["account": 0, "host": 1, "ip": 2, "url": 3][kind.lowercased()] ?? 4 }
        var seen = Set<String>()
        let unique = entities.filter { seen.insert($0.value.lowercased()).inserted }
        var firstOfKind = Set<String>()
        let order = unique.enumerated().map { index, entity in
            (firstOfKind.insert(entity.kind.lowercased()).inserted ? 0 : 1, rank(entity.kind), index)
        }
        let values = zip(order, unique).sorted { $0.0 < $1.0 }.map(\.1.value)
        guard !values.isEmpty else { return "" }
        let shown = values.prefix(maximumEntities).joined(separator: " ")
        return " / " + shown + (values.count > maximumEntities ? " (+\(values.count - maximumEntities))" : "")
    }

    private static func shortened(_ title: String) -> String {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.count <= maximumTitle ? trimmed : String(trimmed.prefix(maximumTitle - 3)) + "..."
    }
}
