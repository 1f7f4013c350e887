import HTTPServer
import Storage

/// The CRUD half of the schedules API: users, rotations, schedules and their rules, overrides
/// and temporary schedules, each through the generic `ResourceRoutes`.
enum ScheduleRoutes {
    static func register(on api: APIRouteBuilder, database: Database, time: any TimeSource, changes: ScheduleChangeSignal) {
        api.addSchemas(ScheduleSchemas.nested)
        let fields = SchemaFieldCheck(schemas: ScheduleSchemas.nested)

        func register<Kind: ResourceKind>(_ kind: Kind, _ paths: ResourcePaths) {
            let store = ResourceStore(kind: kind, database: database, time: time, changes: changes)
            ResourceRoutes(store: store, paths: paths, fields: fields).register(on: api)
        }

        register(UserResource(), ResourcePaths(collection: "/api/v1/users", itemParameter: "id"))
        register(RotationResource(), ResourcePaths(collection: "/api/v1/rotations", itemParameter: "id"))
        register(ScheduleResource(), ResourcePaths(collection: "/api/v1/schedules", itemParameter: "id"))
        let schedule = "/api/v1/schedules/:id"
        register(ScheduleRuleResource(), ResourcePaths(collection: "\(schedule)/rules", itemParameter: "ruleId", parentParameter: "id"))
        register(ScheduleOverrideResource(), ResourcePaths(collection: "\(schedule)/overrides", itemParameter: "overrideId", parentParameter: "id"))
        register(TemporaryScheduleResource(), ResourcePaths(collection: "\(schedule)/temporary-schedules", itemParameter: "temporaryId", parentParameter: "id"))
    }
}
