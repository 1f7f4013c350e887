import HTTPServer
import Paging
import Storage

/// The users, rotations and schedules escalation policies page: checks that they exist, and
/// keeps `escalation_policy_targets` (which makes deleting one still paged a 409) in step.
enum EscalationTargets {
    /// The table holding each kind of target and the side-table column naming it. Constants,
    /// so the SQL built from them takes values only as bound parameters.
    private static func storage(_ kind: EscalationPolicy.Step.Target.Kind) -> (table: String, column: String) {
        switch kind {
        case .user: ("users", "user_id")
        case .rotation: ("rotations", "rotation_id")
        case .schedule: ("schedules", "schedule_id")
        }
    }

    /// A 400 field error (`steps.1.targets.0.id`) for each target that does not exist.
    static func missing(in policy: EscalationPolicy, db: Connection) throws -> [ProblemDetails.FieldError] {
        var known: [EscalationPolicy.Step.Target: Bool] = [:]
        var errors: [ProblemDetails.FieldError] = []
        for (index, step) in policy.steps.enumerated() {
            for (position, target) in step.targets.enumerated() where !target.id.isEmpty {
                if known[target] == nil {
                    known[target] = try db.queryOne("SELECT 1 FROM \(storage(target.kind).table) WHERE id = ?", [.text(target.id)]) != nil
                }
                if known[target] == false {
                    errors.append(.init(field: "steps.\(index).targets.\(position).id", detail: "no \(target.kind.rawValue) \(target.id)"))
                }
            }
        }
        return errors
    }

    /// Replaces the side-table rows of `policy`.
    static func write(_ policy: EscalationPolicy, db: Connection) throws {
        try db.run("DELETE FROM escalation_policy_targets WHERE policy_id = ?", [.text(policy.id)])
        let targets = Set(policy.steps.flatMap(\.targets)).sorted { ($0.kind.rawValue, $0.id) < ($1.kind.rawValue, $1.id) }
        for target in targets {
            try db.run("INSERT INTO escalation_policy_targets (policy_id, \(storage(target.kind).column)) VALUES (?, ?)",
                       [.text(policy.id), .text(target.id)])
        }
    }

    /// The policies paging the `kind` target `id`, as "escalation policy esc_…", for a 409.
    static func policiesNaming(_ kind: EscalationPolicy.Step.Target.Kind, id: String, db: Connection) throws -> [String] {
        try db.query("SELECT DISTINCT policy_id FROM escalation_policy_targets WHERE \(storage(kind).column) = ? ORDER BY policy_id", [.text(id)])
            .map { "escalation policy \(try $0.get("policy_id", as: String.self))" }
    }
}
