/// Who owns an incident in Sentinel. Unassigned is every field null (`isAssigned` false).
public struct IncidentOwner: Sendable, Equatable {
    /// The Entra object id in the workspace's tenant: the owner's identity.
    public var objectId: String?
    public var email: String?
    /// The display name.
    public var assignedTo: String?
    public var userPrincipalName: String?
    /// `User`, `Group` or `Unknown` (live data says Unknown even for users).
    public var ownerType: String?

    public init(objectId: String? = nil, email: String? = nil, assignedTo: String? = nil, userPrincipalName: String? = nil, ownerType: String? = nil) {
        self.objectId = objectId
        self.email = email
        self.assignedTo = assignedTo
        self.userPrincipalName = userPrincipalName
        self.ownerType = ownerType
    }

    public static let unassigned = IncidentOwner()

    public var isAssigned: Bool { objectId != nil || email != nil || assignedTo != nil || userPrincipalName != nil }

    /// What a person reads: the display name, else the UPN, e-mail or object id; nil when unassigned.
    public var displayName: String? { assignedTo ?? userPrincipalName ?? email ?? objectId }

    static func parse(_ object: PayloadObject?) throws -> IncidentOwner {
        guard let object else { return .unassigned }
        // An empty string is as unassigned as a null.
        let read = { (key: String) in try object.string(key).flatMap { $0.isEmpty ? nil : $0 } }
        return IncidentOwner(objectId: try read("objectId"), email: try read("email"), assignedTo: try read("assignedTo"),
                             userPrincipalName: try read("userPrincipalName"), ownerType: try read("ownerType"))
    }
}
