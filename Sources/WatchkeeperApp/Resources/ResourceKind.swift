import Foundation
import HTTPServer
import Storage

/// What differs between the kinds of resource the generic CRUD layer (`ResourceStore`,
/// `ResourceRoutes`) manages: where rows live, how a value is checked, which side tables mirror
/// it, and what stops its deletion. Everything else (ids, versions, ETags, pagination, strict
/// bodies, problems) is shared.
protocol ResourceKind: Sendable {
    /// The API shape without the read-only metadata, `id` included; stored as the row's body
    /// unless `body(of:)` says otherwise.
    associatedtype Value: Codable & Sendable

    /// "user", "schedule rule": in messages.
    var noun: String { get }
    /// "User", "ScheduleRule": in operation ids (`getUser`, `listScheduleRules`).
    var operationNoun: String { get }
    /// Plural forms for list operations; default: the singular with an "s".
    var pluralNoun: String { get }
    var pluralOperationNoun: String { get }
    /// "usr_": ids are this prefix and 96 random bits in base64url.
    var idPrefix: String { get }
    var table: ResourceTable { get }
    var schema: ResourceSchema { get }
    /// The OpenAPI tag of its routes.
    var tag: String { get }
    /// Values for members a client may omit.
    var defaults: [String: JSONValue] { get }
    /// Whether a write can change who is on call (and so must notify `ScheduleChangeSignal`).
    var affectsOnCall: Bool { get }

    /// Every problem with `value` as API field errors, including references to users or rotations
    /// that do not exist (read in the same write transaction).
    func validate(_ value: Value, db: Connection) throws -> [ProblemDetails.FieldError]
    /// A 409 when `value` collides with another resource (a user's e-mail address).
    func conflict(_ value: Value, db: Connection) throws -> HTTPError?
    /// The replacement actually stored for a PUT; `options` are the request-only members sent.
    func replacement(_ new: Value, for old: Value, options: [String: JSONValue], now: Date, db: Connection) throws -> Value
    /// The JSON stored in the `body` column.
    func body(of value: Value) throws -> String
    /// Values of `table.extraColumns`.
    func columns(of value: Value) -> [String: SQLValue]
    /// Rewrites the side tables mirroring `value` (identities, participants, references).
    func writeLinks(of value: Value, db: Connection) throws
    /// The value of a stored row.
    func value(of row: ResourceTable.StoredRow, db: Connection) throws -> Value
    /// Who still refers to the resource `id`; a non-empty answer makes DELETE a 409.
    func referrers(of id: String, db: Connection) throws -> [String]
    /// Rows to delete with the resource that no foreign key cascades to.
    func deleteDependents(of id: String, db: Connection) throws
    /// Conditions from the list request's query parameters.
    func listFilter(_ request: HTTPRequest) throws -> ListFilter
    /// Extra query parameters of the list route, for the OpenAPI description.
    var listParameters: [OpenAPIOperation.Parameter] { get }
}

extension ResourceKind {
    var defaults: [String: JSONValue] { [:] }
    var affectsOnCall: Bool { true }
    var pluralNoun: String { noun + "s" }
    var pluralOperationNoun: String { operationNoun + "s" }

    func conflict(_ value: Value, db: Connection) throws -> HTTPError? { nil }

    func replacement(_ new: Value, for old: Value, options: [String: JSONValue], now: Date, db: Connection) throws -> Value { new }

    func body(of value: Value) throws -> String {
        String(decoding: try JSON.encoder.encode(value), as: UTF8.self)
    }

    func columns(of value: Value) -> [String: SQLValue] { [:] }

    func writeLinks(of value: Value, db: Connection) throws {}

    func value(of row: ResourceTable.StoredRow, db: Connection) throws -> Value {
        try Self.decodeBody(Value.self, row)
    }

    func referrers(of id: String, db: Connection) throws -> [String] { [] }

    func deleteDependents(of id: String, db: Connection) throws {}

    func listFilter(_ request: HTTPRequest) throws -> ListFilter { .none }

    var listParameters: [OpenAPIOperation.Parameter] { [] }

    /// A stored body, decoded; a failure is stored data the server cannot read (a 500, logged).
    static func decodeBody<T: Decodable>(_ type: T.Type, _ row: ResourceTable.StoredRow) throws -> T {
        do {
            return try JSON.decoder.decode(type, from: Data(row.body.utf8))
        } catch {
            throw StoredBodyError(id: row.id, underlying: "\(error)")
        }
    }
}
