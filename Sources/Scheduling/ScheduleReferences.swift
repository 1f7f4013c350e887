/// The ids a schedule refers to, for the API layer to check they exist.
public struct ScheduleReferences: Sendable, Codable, Hashable {
    /// Sorted, without duplicates: rule targets, override users and temporary-shift users.
    public var userIds: [String]
    /// Sorted, without duplicates.
    public var rotationIds: [String]

    public init(userIds: [String], rotationIds: [String]) {
        self.userIds = userIds
        self.rotationIds = rotationIds
    }
}
