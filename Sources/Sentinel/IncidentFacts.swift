/// What routing rules look at, from a Sentinel incident or an Azure Monitor alert: the same
/// shape whichever source, so one rule set serves both.
public struct IncidentFacts: Sendable, Equatable {
    /// `High`, `Medium`, `Low` or `Informational` (Azure Monitor's Sev0–Sev4 already mapped).
    public var severity: String
    public var title: String
    public var description: String
    /// The workspace name, and the connection's customer name when the incident came through one.
    public var workspace: String?
    public var customer: String?
    public var tactics: [String]
    public var techniques: [String]
    public var productNames: [String]
    /// Sentinel's tags (`labels[].labelName`).
    public var labels: [String]
    public var entities: [EntityFact]

    public init(severity: String, title: String, description: String = "", workspace: String? = nil, customer: String? = nil,
                tactics: [String] = [], techniques: [String] = [], productNames: [String] = [], labels: [String] = [],
                entities: [EntityFact] = []) {
        self.severity = severity
        self.title = title
        self.description = description
        self.workspace = workspace
        self.customer = customer
        self.tactics = tactics
        self.techniques = techniques
        self.productNames = productNames
        self.labels = labels
        self.entities = entities
    }
}

/// One entity of an incident as routing sees it: its kind (`Account`, `Host`, `Ip`, `Url`, …)
/// and its main value (`jdoe@contoso.com`, `WS-FIN-042`, `203.0.113.57`, …).
public struct EntityFact: Sendable, Equatable {
    public var kind: String
    public var value: String

    public init(kind: String, value: String) {
        self.kind = kind
        self.value = value
    }
}
