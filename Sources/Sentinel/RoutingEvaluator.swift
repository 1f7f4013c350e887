import Foundation
import Scheduling

/// Evaluates an integration key's ordered routing rules against an incident: the first rule
/// whose conditions all hold decides. Pure: the instant is a parameter and "is anyone on call in
/// schedule S at t" is the caller's closure, so the server answers it from its database.
public struct RoutingEvaluator {
    private struct Compiled {
        var rule: RoutingRule
        var title: NSRegularExpression?
        var description: NSRegularExpression?
        var entityValue: NSRegularExpression?
    }

    private let rules: [Compiled]

    /// Compiles the rules' patterns; throws the first rule's problems (paths `rules.N.…`).
    public init(rules: [RoutingRule]) throws(RoutingRulesInvalid) {
        var errors: [RoutingFieldError] = []
        for (i, rule) in rules.enumerated() {
            errors += rule.validate().map { RoutingFieldError(field: "rules.\(i).\($0.field)", detail: $0.detail) }
        }
        guard errors.isEmpty else { throw RoutingRulesInvalid(errors: errors) }
        self.rules = rules.map { rule in
            Compiled(rule: rule, title: rule.conditions.titleMatches.flatMap(RoutingConditions.compile),
                     description: rule.conditions.descriptionMatches.flatMap(RoutingConditions.compile),
                     entityValue: rule.conditions.entityValueMatches.flatMap(RoutingConditions.compile))
        }
    }

    /// The first matching rule's decision, or `RoutingDecision.default` with the explanation of
    /// every rule checked. Each condition of a checked rule is evaluated and explained, so the
    /// test endpoint shows all reasons a rule missed, not only the first.
    public func decide(_ facts: IncidentFacts, at instant: Date,
                       isOnCall: (_ scheduleId: String, _ at: Date) throws -> Bool) rethrows -> RoutingDecision {
        var explanation: [String] = []
        for (position, compiled) in rules.enumerated() {
            let rule = compiled.rule
            let label = "rules.\(position) \"\(rule.name)\""
            var holds = true
            for (text, outcome) in try check(compiled, facts, instant, isOnCall) {
                explanation.append("\(label): \(text): \(outcome ? "yes" : "no")")
                holds = holds && outcome
            }
            guard holds else {
                explanation.append("\(label): not matched")
                continue
            }
            explanation.append("\(label): matched\(rule.conditions == RoutingConditions() ? " (no conditions)" : "")")
            let actions = rule.actions
            return RoutingDecision(ruleId: rule.id, rulePosition: position, serviceId: actions.serviceId, urgency: actions.urgency,
                                   suppress: actions.suppress ?? false, note: actions.note, explanation: explanation)
        }
        var decision = RoutingDecision.default
        decision.explanation = explanation + decision.explanation
        return decision
    }

    /// Each present condition with its description and outcome, in a fixed order.
    private func check(_ compiled: Compiled, _ facts: IncidentFacts, _ instant: Date,
                       _ isOnCall: (String, Date) throws -> Bool) rethrows -> [(String, Bool)] {
        let c = compiled.rule.conditions
        var results: [(String, Bool)] = []
        if let severities = c.severityIn {
            results.append(("severity \(facts.severity) in [\(severities.joined(separator: ", "))]", severities.contains { Self.same($0, facts.severity) }))
        }
        if let workspace = c.workspace {
            results.append(("workspace \(facts.workspace ?? "(none)") is \(workspace)", facts.workspace.map { Self.same($0, workspace) } ?? false))
        }
        if let customer = c.customer {
            results.append(("customer \(facts.customer ?? "(none)") is \(customer)", facts.customer.map { Self.same($0, customer) } ?? false))
        }
        if let regex = compiled.title, let pattern = c.titleMatches {
            results.append(("title matches /\(pattern)/", Self.matches(regex, facts.title)))
        }
        if let regex = compiled.description, let pattern = c.descriptionMatches {
            results.append(("description matches /\(pattern)/", Self.matches(regex, facts.description)))
        }
        if let tactic = c.tactic {
            results.append(("tactic \(tactic) present", facts.tactics.contains { Self.same($0, tactic) }))
        }
        if let product = c.product {
            results.append(("product \(product) present", facts.productNames.contains { Self.same($0, product) }))
        }
        if let label = c.label {
            results.append(("label \(label) present", facts.labels.contains { Self.same($0, label) }))
        }
        let entities = c.entityKind.map { kind in facts.entities.filter { Self.same($0.kind, kind) } } ?? facts.entities
        let kindText = c.entityKind.map { "\($0) entity" } ?? "entity"
        if let kind = c.entityKind, c.entityValueIn == nil, c.entityValueMatches == nil {
            results.append(("\(kind) entity present", !entities.isEmpty))
        }
        if let values = c.entityValueIn {
            let hit = entities.first { entity in values.contains { Self.same($0, entity.value) } }
            results.append(("\(kindText) value in [\(values.joined(separator: ", "))]\(hit.map { " (\($0.value))" } ?? "")", hit != nil))
        }
        if let regex = compiled.entityValue, let pattern = c.entityValueMatches {
            let hit = entities.first { Self.matches(regex, $0.value) }
            results.append(("\(kindText) value matches /\(pattern)/\(hit.map { " (\($0.value))" } ?? "")", hit != nil))
        }
        if let window = c.timeWindow {
            let spans = window.windows.map { "\($0.days.map(\.rawValue).joined(separator: ",")) \($0.start)–\($0.end)" }.joined(separator: "; ")
            results.append(("time in \(spans) \(window.timeZone)", window.windows.isEmpty ? false : window.contains(instant) ?? false))
        }
        if let schedule = c.whileOnCall {
            results.append(("someone on call in schedule \(schedule)", try isOnCall(schedule, instant)))
        }
        if let schedule = c.whileNobodyOnCall {
            results.append(("nobody on call in schedule \(schedule)", !(try isOnCall(schedule, instant))))
        }
        return results
    }

    private static func same(_ a: String, _ b: String) -> Bool {
        a.caseInsensitiveCompare(b) == .orderedSame
    }

    private static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
