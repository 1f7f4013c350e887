import HTTPServer

// TEMPORARY SHIM — delete this file when merging into main, where the lead adds the real
// `AlertStore.escalate(_:actor:method:)`. It exists only so the ack-link branch compiles; it
// always refuses, so an escalate button on this branch answers 409 and changes nothing.
extension AlertStore {
    func escalate(_ id: String, actor: String, method: String) throws -> Alert {
        throw HTTPError(.conflict, detail: "escalation not available yet")
    }
}
