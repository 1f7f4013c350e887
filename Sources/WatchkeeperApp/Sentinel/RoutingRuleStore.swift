import Foundation
import HTTPServer
import Sentinel
import Storage

/// Reads and replaces the ordered routing rules of an integration key (migration 0011). A
/// replace is one write transaction: the whole list is validated first and a bad one changes
/// nothing.
struct RoutingRuleStore: Sendable {
    static let idPrefix = "rr_"
    static let maximumRules = 200

    let database: Database
    let time: any TimeSource

    /// The key's rules in order; 404 when the service has no such key.
    func list(serviceId: String, keyId: String) throws -> [StoredRoutingRule] {
        try database.read { db in
            try Self.requireKey(serviceId: serviceId, keyId: keyId, db)
            return try Self.stored(integrationKeyId: keyId, db: db)
        }
    }

    /// Replaces the key's whole list. Rules without an id get one; a rule keeping its id keeps
    /// its creation instant.
    func replace(serviceId: String, keyId: String, rules: [RoutingRule]) throws -> [StoredRoutingRule] {
        let now = time.now()
        let rules = rules.map { rule in
            var rule = rule
            if rule.id.isEmpty { rule.id = SortableID.make(prefix: Self.idPrefix, at: now) }
            return rule
        }
        try Self.validate(rules)
        return try database.write { db in
            try Self.requireKey(serviceId: serviceId, keyId: keyId, db)
            try Self.requireReferences(rules, db)
            let created = Dictionary(try Self.stored(integrationKeyId: keyId, db: db).map { ($0.rule.id, $0.createdAt) }) { first, _ in first }
            try db.run("DELETE FROM routing_rules WHERE integration_key_id = ?", [.text(keyId)])
            var result: [StoredRoutingRule] = []
            for (position, rule) in rules.enumerated() {
                let body = String(decoding: try JSON.encoder.encode(rule), as: UTF8.self)
                let stored = StoredRoutingRule(rule: rule, createdAt: created[rule.id] ?? now, updatedAt: now)
                try db.run("INSERT INTO routing_rules (integration_key_id, position, id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                           [.text(keyId), .integer(Int64(position)), .text(rule.id), .text(body), SQLValue(stored.createdAt), SQLValue(now)])
                result.append(stored)
            }
            return result
        }
    }

    /// The rules of a key inside the caller's transaction (the ingest's write job), in order.
    static func rules(integrationKeyId: String, db: Connection) throws -> [RoutingRule] {
        try stored(integrationKeyId: integrationKeyId, db: db).map(\.rule)
    }

    /// Field problems of a list, as the 400 names them (`rules.2.conditions.titleMatches`).
    static func validate(_ rules: [RoutingRule]) throws {
        guard rules.count <= maximumRules else { throw HTTPError.invalid("rules", "at most \(maximumRules) rules per integration key") }
        do {
            _ = try RoutingEvaluator(rules: rules)
        } catch {
            throw HTTPError(.badRequest, detail: error.errors.map { "\($0.field): \($0.detail)" }.joined(separator: "; "),
                           errors: error.errors.map { .init(field: $0.field, detail: $0.detail) })
        }
        var seen: Set<String> = []
        for (i, rule) in rules.enumerated() where !seen.insert(rule.id).inserted {
            throw HTTPError.invalid("rules.\(i).id", "another rule already has the id \(rule.id)")
        }
    }

    /// Every service and schedule a rule names must exist when the list is saved.
    static func requireReferences(_ rules: [RoutingRule], _ db: Connection) throws {
        for (i, rule) in rules.enumerated() {
            if let serviceId = rule.actions.serviceId, try db.queryOne("SELECT 1 FROM services WHERE id = ?", [.text(serviceId)]) == nil {
                throw HTTPError.invalid("rules.\(i).actions.serviceId", "no service \(serviceId)")
            }
            for (field, scheduleId) in rule.conditions.scheduleIds
            where try db.queryOne("SELECT 1 FROM schedules WHERE id = ?", [.text(scheduleId)]) == nil {
                throw HTTPError.invalid("rules.\(i).\(field)", "no schedule \(scheduleId)")
            }
        }
    }

    static func requireKey(serviceId: String, keyId: String, _ db: Connection) throws {
        guard try db.queryOne("SELECT 1 FROM integration_keys WHERE id = ? AND service_id = ?", [.text(keyId), .text(serviceId)]) != nil else {
            throw HTTPError(.notFound, detail: "service \(serviceId) has no integration key \(keyId)")
        }
    }

    private static func stored(integrationKeyId: String, db: Connection) throws -> [StoredRoutingRule] {
        try db.query("SELECT id, body, created_at, updated_at FROM routing_rules WHERE integration_key_id = ? ORDER BY position",
                     [.text(integrationKeyId)]).map { row in
            let id: String = try row.get("id")
            let body: String = try row.get("body")
            do {
                return StoredRoutingRule(rule: try JSON.decoder.decode(RoutingRule.self, from: Data(body.utf8)),
                                         createdAt: try row.get("created_at"), updatedAt: try row.get("updated_at"))
            } catch {
                throw StoredBodyError(id: id, underlying: "\(error)")
            }
        }
    }
}
