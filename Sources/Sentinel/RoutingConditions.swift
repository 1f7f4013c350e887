import Foundation
import Scheduling

/// The conditions of one routing rule; every present member must hold (none: the rule always
/// matches, a catch-all). Text comparisons ignore case; patterns are NSRegularExpression
/// patterns matched case-insensitively anywhere in the text (anchor with ^ and $).
public struct RoutingConditions: Sendable, Equatable, Codable {
    /// The incident's severity is one of these (`High`, `Medium`, `Low`, `Informational`).
    public var severityIn: [String]?
    /// The workspace name equals this.
    public var workspace: String?
    /// The connection's customer name equals this.
    public var customer: String?
    public var titleMatches: String?
    public var descriptionMatches: String?
    /// The incident has this MITRE ATT&CK tactic (`InitialAccess`).
    public var tactic: String?
    /// An alert of the incident came from this product (`Microsoft Defender for Endpoint`).
    public var product: String?
    /// The incident carries this label (tag).
    public var label: String?
    /// An entity of this kind (`Account`, `Host`, `Ip`, `Url`, …) is present; with
    /// `entityValueIn` or `entityValueMatches`, those look only at entities of this kind.
    public var entityKind: String?
    /// An entity's value is one of these (a VIP account list).
    public var entityValueIn: [String]?
    /// An entity's value matches this pattern (host names `^FIN-`).
    public var entityValueMatches: String?
    /// The instant falls in one of these weekly windows of the named zone.
    public var timeWindow: ActiveWindows?
    /// Schedule `S` has someone on call at the instant.
    public var whileOnCall: String?
    /// Schedule `S` has nobody on call at the instant.
    public var whileNobodyOnCall: String?

    public static let severities = ["High", "Medium", "Low", "Informational"]

    public init(severityIn: [String]? = nil, workspace: String? = nil, customer: String? = nil, titleMatches: String? = nil,
                descriptionMatches: String? = nil, tactic: String? = nil, product: String? = nil, label: String? = nil,
                entityKind: String? = nil, entityValueIn: [String]? = nil, entityValueMatches: String? = nil,
                timeWindow: ActiveWindows? = nil, whileOnCall: String? = nil, whileNobodyOnCall: String? = nil) {
        self.severityIn = severityIn
        self.workspace = workspace
        self.customer = customer
        self.titleMatches = titleMatches
        self.descriptionMatches = descriptionMatches
        self.tactic = tactic
        self.product = product
        self.label = label
        self.entityKind = entityKind
        self.entityValueIn = entityValueIn
        self.entityValueMatches = entityValueMatches
        self.timeWindow = timeWindow
        self.whileOnCall = whileOnCall
        self.whileNobodyOnCall = whileNobodyOnCall
    }

    /// The schedules the rule consults, for the store's existence check.
    public var scheduleIds: [(field: String, id: String)] {
        [("conditions.whileOnCall", whileOnCall), ("conditions.whileNobodyOnCall", whileNobodyOnCall)].compactMap { field, id in id.map { (field, $0) } }
    }

    /// A case-insensitive regular expression, or nil when the pattern does not compile.
    static func compile(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    func validate() -> [RoutingFieldError] {
        var errors: [RoutingFieldError] = []
        func nonEmpty(_ value: String?, _ name: String) {
            if let value, value.trimmingCharacters(in: .whitespaces).isEmpty {
                errors.append(.init(field: "conditions.\(name)", detail: "must not be empty"))
            }
        }
        if let severityIn {
            if severityIn.isEmpty { errors.append(.init(field: "conditions.severityIn", detail: "must name at least one severity")) }
            for (i, severity) in severityIn.enumerated() where !Self.severities.contains(where: { $0.caseInsensitiveCompare(severity) == .orderedSame }) {
                errors.append(.init(field: "conditions.severityIn.\(i)", detail: "must be one of \(Self.severities.joined(separator: ", "))"))
            }
        }
        for (value, name) in [(workspace, "workspace"), (customer, "customer"), (tactic, "tactic"), (product, "product"), (label, "label"),
                              (entityKind, "entityKind"), (whileOnCall, "whileOnCall"), (whileNobodyOnCall, "whileNobodyOnCall")] {
            nonEmpty(value, name)
        }
        for (pattern, name) in [(titleMatches, "titleMatches"), (descriptionMatches, "descriptionMatches"), (entityValueMatches, "entityValueMatches")] {
            guard let pattern else { continue }
            if pattern.isEmpty || pattern.count > 1_000 {
                errors.append(.init(field: "conditions.\(name)", detail: "must be 1 to 1000 characters"))
            } else if Self.compile(pattern) == nil {
                errors.append(.init(field: "conditions.\(name)", detail: "is not a valid regular expression"))
            }
        }
        if let entityValueIn, entityValueIn.isEmpty || entityValueIn.contains(where: { $0.isEmpty }) {
            errors.append(.init(field: "conditions.entityValueIn", detail: "must list at least one non-empty value"))
        }
        if let timeWindow { errors += Self.validate(timeWindow) }
        return errors
    }

    private static func validate(_ window: ActiveWindows) -> [RoutingFieldError] {
        var errors: [RoutingFieldError] = []
        let base = "conditions.timeWindow"
        if !ZoneRules.isKnown(window.timeZone) {
            errors.append(.init(field: "\(base).timeZone", detail: "must be an IANA time zone such as Europe/London"))
        }
        if window.windows.isEmpty { errors.append(.init(field: "\(base).windows", detail: "must hold at least one window")) }
        for (i, w) in window.windows.enumerated() {
            if w.days.isEmpty { errors.append(.init(field: "\(base).windows.\(i).days", detail: "must name at least one day")) }
            if !w.start.isValidTimeOfDay { errors.append(.init(field: "\(base).windows.\(i).start", detail: "must be 00:00 to 23:59")) }
            if !w.end.isValidWindowEnd { errors.append(.init(field: "\(base).windows.\(i).end", detail: "must be 00:00 to 24:00")) }
            if w.start == w.end { errors.append(.init(field: "\(base).windows.\(i).end", detail: "must differ from start (00:00–24:00 is a whole day)")) }
        }
        return errors
    }
}
