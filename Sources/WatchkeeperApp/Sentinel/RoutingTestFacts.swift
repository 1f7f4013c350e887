import Sentinel

/// `IncidentFacts` in JSON, for the routing test endpoint: posted as `facts`, and echoed back
/// so an admin sees what the rules looked at when a raw payload was posted.
struct RoutingTestFacts: Codable, Sendable {
    struct Entity: Codable, Sendable {
        var kind: String
        var value: String
    }

    var severity: String
    var title: String
    var description: String?
    var workspace: String?
    var customer: String?
    var tactics: [String]?
    var techniques: [String]?
    var productNames: [String]?
    var labels: [String]?
    var entities: [Entity]?

    init(_ facts: IncidentFacts) {
        (severity, title, description, workspace, customer) = (facts.severity, facts.title, facts.description, facts.workspace, facts.customer)
        (tactics, techniques, productNames, labels) = (facts.tactics, facts.techniques, facts.productNames, facts.labels)
        entities = facts.entities.map { Entity(kind: $0.kind, value: $0.value) }
    }

    var facts: IncidentFacts {
        IncidentFacts(severity: severity, title: title, description: description ?? "", workspace: workspace, customer: customer,
                      tactics: tactics ?? [], techniques: techniques ?? [], productNames: productNames ?? [], labels: labels ?? [],
                      entities: (entities ?? []).map { EntityFact(kind: $0.kind, value: $0.value) })
    }
}
