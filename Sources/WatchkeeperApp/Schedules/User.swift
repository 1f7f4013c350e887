/// A person who can be on call, as the API shows it. `role` is the person's console role.
/// The row's body holds all but `identities`, which live in `user_identities`.
struct User: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var email: String
    var timeZone: String
    var role: Role
    /// Sorted by tenant id; at most one per tenant.
    var identities: [UserIdentity]

    /// The stored body: the contract other modules read (`users.body`).
    struct Body: Codable, Sendable {
        var id: String
        var name: String
        var email: String
        var timeZone: String
        var role: Role
    }

    var body: Body { Body(id: id, name: name, email: email, timeZone: timeZone, role: role) }

    init(body: Body, identities: [UserIdentity]) {
        self.init(id: body.id, name: body.name, email: body.email, timeZone: body.timeZone, role: body.role, identities: identities)
    }

    init(id: String, name: String, email: String, timeZone: String, role: Role, identities: [UserIdentity]) {
        self.id = id
        self.name = name
        self.email = email
        self.timeZone = timeZone
        self.role = role
        self.identities = identities
    }
}
