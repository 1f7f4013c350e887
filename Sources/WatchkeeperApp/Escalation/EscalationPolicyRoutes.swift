import Storage

/// `/api/v1/escalation-policies[/:id]` through the generic CRUD layer.
enum EscalationPolicyRoutes {
    static func register(on api: APIRouteBuilder, database: Database, time: any TimeSource, changes: ScheduleChangeSignal) {
        api.addSchemas(EscalationPolicyResource.nestedSchemas)
        let store = ResourceStore(kind: EscalationPolicyResource(), database: database, time: time, changes: changes)
        ResourceRoutes(store: store, paths: ResourcePaths(collection: "/api/v1/escalation-policies", itemParameter: "id"),
                       fields: SchemaFieldCheck(schemas: EscalationPolicyResource.nestedSchemas)).register(on: api)
    }
}
