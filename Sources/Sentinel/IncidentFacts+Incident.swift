extension IncidentFacts {
    /// What routing rules see of a Sentinel incident; `customer` is the connection's customer name when known.
    public init(incident: SentinelIncident, customer: String? = nil) {
        self.init(severity: incident.severity.rawValue, title: incident.title, description: incident.description, workspace: incident.workspace,
                  customer: customer, tactics: incident.tactics, techniques: incident.techniques,
                  productNames: Self.unique(incident.alertProductNames + incident.alerts.compactMap(\.productName)), labels: incident.labels,
                  entities: incident.entities.map { EntityFact(kind: $0.kind, value: $0.value) })
    }

    /// What routing rules see of an Azure Monitor alert; the customer is `customProperties.customer` unless given.
    public init(azureMonitor alert: AzureMonitorAlert, customer: String? = nil) {
        self.init(severity: alert.severity.rawValue, title: alert.alertRule, description: alert.description, workspace: alert.workspace,
                  customer: customer ?? alert.customProperties["customer"], productNames: ["Azure Monitor"],
                  entities: alert.entities.map { EntityFact(kind: $0.kind, value: $0.value) })
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
