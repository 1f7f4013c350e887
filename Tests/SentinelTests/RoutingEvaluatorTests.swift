import Foundation
import Scheduling
import Sentinel
import Testing

/// Each routing condition and action on its own, first-match order, and the explanation.
@Suite struct RoutingEvaluatorTests {
    static let facts = IncidentFacts(
        severity: "High", title: "Suspicious sign-in from a TOR exit node", description: "Impossible travel for a finance account",
        workspace: "contoso-sentinel", customer: "Contoso", tactics: ["InitialAccess", "CredentialAccess"], techniques: ["T1078"],
        productNames: ["Azure Active Directory Identity Protection"], labels: ["VIP", "Finance"],
        entities: [EntityFact(kind: "Account", value: "jdoe@contoso.com"), EntityFact(kind: "Host", value: "WS-FIN-042"),
                   EntityFact(kind: "Ip", value: "203.0.113.57")])
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    func decide(_ conditions: RoutingConditions, _ facts: IncidentFacts = facts, at: Date = now,
                onCall: (String, Date) -> Bool = { _, _ in false }) throws -> RoutingDecision {
        try RoutingEvaluator(rules: [RoutingRule(id: "r1", name: "rule", conditions: conditions, actions: .init(urgency: .low))])
            .decide(facts, at: at, isOnCall: onCall)
    }

    func matches(_ conditions: RoutingConditions, _ facts: IncidentFacts = facts) throws -> Bool {
        try decide(conditions, facts).ruleId == "r1"
    }

    @Test func severityInASetIgnoringCase() throws {
        #expect(try matches(.init(severityIn: ["Medium", "high"])))
        #expect(try !matches(.init(severityIn: ["Low", "Informational"])))
    }

    @Test func workspaceAndCustomerEqualIgnoringCase() throws {
        #expect(try matches(.init(workspace: "CONTOSO-sentinel")))
        #expect(try !matches(.init(workspace: "contoso")))
        #expect(try matches(.init(customer: "contoso")))
        #expect(try !matches(.init(customer: "Fabrikam")))
        var noCustomer = Self.facts
        noCustomer.customer = nil
        #expect(try !matches(.init(customer: "Contoso"), noCustomer))
    }

    @Test func titleAndDescriptionMatchCaseInsensitiveRegularExpressions() throws {
        #expect(try matches(.init(titleMatches: "tor exit")))
        #expect(try matches(.init(titleMatches: "^suspicious")))
        #expect(try !matches(.init(titleMatches: "^TOR")))
        #expect(try matches(.init(descriptionMatches: "impossible\\s+travel")))
        #expect(try !matches(.init(descriptionMatches: "ransomware")))
    }

    @Test func tacticProductAndLabelPresent() throws {
        #expect(try matches(.init(tactic: "credentialaccess")))
        #expect(try !matches(.init(tactic: "Exfiltration")))
        #expect(try matches(.init(product: "Azure Active Directory Identity Protection")))
        #expect(try !matches(.init(product: "Microsoft Defender for Endpoint")))
        #expect(try matches(.init(label: "vip")))
        #expect(try !matches(.init(label: "Test")))
    }

    @Test func entityKindPresentValueInAListAndValueMatchingAPattern() throws {
        #expect(try matches(.init(entityKind: "host")))
        #expect(try !matches(.init(entityKind: "Url")))
        // A VIP account list, compared ignoring case, only among accounts when the kind is given.
        #expect(try matches(.init(entityKind: "Account", entityValueIn: ["ceo@contoso.com", "JDOE@contoso.com"])))
        #expect(try !matches(.init(entityKind: "Host", entityValueIn: ["jdoe@contoso.com"])))
        #expect(try matches(.init(entityValueIn: ["203.0.113.57"])))
        // Host names starting FIN-: WS-FIN-042 does not, FIN-DB-01 does.
        #expect(try !matches(.init(entityKind: "Host", entityValueMatches: "^FIN-")))
        var finance = Self.facts
        finance.entities.append(EntityFact(kind: "Host", value: "fin-db-01"))
        finance.entities.append(EntityFact(kind: "Account", value: "FIN-svc"))
        #expect(try matches(.init(entityKind: "Host", entityValueMatches: "^FIN-"), finance))
        var accountOnly = Self.facts
        accountOnly.entities = [EntityFact(kind: "Account", value: "FIN-svc")]
        #expect(try !matches(.init(entityKind: "Host", entityValueMatches: "^FIN-"), accountOnly))
        #expect(try matches(.init(entityValueMatches: "^FIN-"), accountOnly))
    }

    @Test func onCallAndNobodyOnCallAskTheLookupAtTheInstant() throws {
        var asked: [(String, Date)] = []
        let lookup: (String, Date) -> Bool = { id, at in asked.append((id, at)); return id == "sch_day" }
        #expect(try decide(.init(whileOnCall: "sch_day"), onCall: lookup).ruleId == "r1")
        #expect(try decide(.init(whileOnCall: "sch_night"), onCall: lookup).ruleId == nil)
        #expect(try decide(.init(whileNobodyOnCall: "sch_night"), onCall: lookup).ruleId == "r1")
        #expect(try decide(.init(whileNobodyOnCall: "sch_day"), onCall: lookup).ruleId == nil)
        #expect(asked.map(\.0) == ["sch_day", "sch_night", "sch_night", "sch_day"])
        #expect(asked.allSatisfy { $0.1 == Self.now })
    }

    @Test func everyConditionMustHold() throws {
        #expect(try matches(.init(severityIn: ["High"], customer: "Contoso", label: "VIP", entityKind: "Account")))
        #expect(try !matches(.init(severityIn: ["High"], customer: "Contoso", label: "VIP", entityKind: "Url")))
    }

    @Test func theFirstMatchingRuleDecidesAndActionsCombine() throws {
        let evaluator = try RoutingEvaluator(rules: [
            RoutingRule(id: "test", name: "Test incidents", conditions: .init(titleMatches: "^\\[test\\]"), actions: .init(suppress: true)),
            RoutingRule(id: "vip", name: "VIP accounts", conditions: .init(entityKind: "Account", entityValueIn: ["jdoe@contoso.com"]),
                        actions: .init(serviceId: "svc_vip", urgency: .high, note: "VIP account involved")),
            RoutingRule(id: "all", name: "Everything else", actions: .init(urgency: .low)),
        ])
        let vip = evaluator.decide(Self.facts, at: Self.now) { _, _ in false }
        #expect(vip == RoutingDecision(ruleId: "vip", rulePosition: 1, serviceId: "svc_vip", urgency: .high, suppress: false,
                                       note: "VIP account involved", explanation: vip.explanation))
        var test = Self.facts
        test.title = "[TEST] sign-in"
        let suppressed = evaluator.decide(test, at: Self.now) { _, _ in false }
        #expect(suppressed.ruleId == "test" && suppressed.suppress && suppressed.urgency == nil && suppressed.serviceId == nil)
        var other = Self.facts
        other.entities = []
        let rest = evaluator.decide(other, at: Self.now) { _, _ in false }
        #expect(rest.ruleId == "all" && rest.rulePosition == 2 && rest.urgency == .low && !rest.suppress)
    }

    @Test func noMatchingRuleGivesTheDefaultWithTheReasons() throws {
        let decision = try decide(.init(severityIn: ["Low"], label: "VIP"))
        #expect(decision.ruleId == nil && decision.serviceId == nil && decision.urgency == nil && !decision.suppress)
        #expect(decision.explanation == [
            "rules.0 \"rule\": severity High in [Low]: no",
            "rules.0 \"rule\": label VIP present: yes",
            "rules.0 \"rule\": not matched",
            "no rule matched",
        ])
        #expect(try RoutingEvaluator(rules: []).decide(Self.facts, at: Self.now) { _, _ in true } == .default)
    }

    @Test func theExplanationNamesTheMatchedValue() throws {
        let decision = try decide(.init(entityKind: "Account", entityValueIn: ["JDOE@contoso.com"]))
        #expect(decision.explanation == [
            "rules.0 \"rule\": Account entity value in [JDOE@contoso.com] (jdoe@contoso.com): yes",
            "rules.0 \"rule\": matched",
        ])
    }

    @Test func invalidRulesNameTheField() {
        let rules = [
            RoutingRule(id: "ok", name: "fine"),
            RoutingRule(id: "bad", name: "bad", conditions: .init(severityIn: ["Critical"], titleMatches: "([unclosed",
                                                                   timeWindow: ActiveWindows(timeZone: "Mars/Olympus", windows: []))),
            RoutingRule(id: "times", name: " ", conditions: .init(entityValueIn: [],
                                                                 timeWindow: ActiveWindows(timeZone: "Europe/London", windows: [
                                                                     WeeklyWindow(days: [], start: LocalTime(hour: 25), end: LocalTime(hour: 25)),
                                                                     WeeklyWindow(days: [.monday], start: LocalTime(hour: 9), end: LocalTime(hour: 9)),
                                                                 ]))),
        ]
        #expect(throws: RoutingRulesInvalid(errors: [
            .init(field: "rules.1.conditions.severityIn.0", detail: "must be one of High, Medium, Low, Informational"),
            .init(field: "rules.1.conditions.titleMatches", detail: "is not a valid regular expression"),
            .init(field: "rules.1.conditions.timeWindow.timeZone", detail: "must be an IANA time zone such as Europe/London"),
            .init(field: "rules.1.conditions.timeWindow.windows", detail: "must hold at least one window"),
            .init(field: "rules.2.name", detail: "must be 1 to 200 characters"),
            .init(field: "rules.2.conditions.entityValueIn", detail: "must list at least one non-empty value"),
            .init(field: "rules.2.conditions.timeWindow.windows.0.days", detail: "must name at least one day"),
            .init(field: "rules.2.conditions.timeWindow.windows.0.start", detail: "must be 00:00 to 23:59"),
            .init(field: "rules.2.conditions.timeWindow.windows.0.end", detail: "must be 00:00 to 24:00"),
            .init(field: "rules.2.conditions.timeWindow.windows.0.end", detail: "must differ from start (00:00–24:00 is a whole day)"),
            .init(field: "rules.2.conditions.timeWindow.windows.1.end", detail: "must differ from start (00:00–24:00 is a whole day)"),
        ])) {
            try RoutingEvaluator(rules: rules)
        }
    }

    @Test func rulesDecodeFromTheAPIShape() throws {
        let json = """
        {"name": "Nights", "conditions": {"severityIn": ["Low"], "timeWindow": {"timeZone": "Europe/London",
          "windows": [{"days": ["friday"], "start": "22:00", "end": "06:00"}]}}, "actions": {"urgency": "low", "note": "night"}}
        """
        let rule = try JSONDecoder().decode(RoutingRule.self, from: Data(json.utf8))
        #expect(rule == RoutingRule(id: "", name: "Nights",
                                    conditions: .init(severityIn: ["Low"], timeWindow: ActiveWindows(timeZone: "Europe/London", windows: [
                                        WeeklyWindow(days: [.friday], start: LocalTime(hour: 22), end: LocalTime(hour: 6))])),
                                    actions: .init(urgency: .low, note: "night")))
    }
}
