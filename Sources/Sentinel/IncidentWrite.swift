/// Our intended change to one incident: only the fields set here change; everything else is
/// carried over from the incident as just read (see `IncidentPutBody`).
public struct IncidentWrite: Sendable, Equatable {
    /// The owner's Entra object id in the workspace's tenant.
    public var ownerObjectId: String?
    /// `New`, `Active` or `Closed`.
    public var status: String?
    /// `High`, `Medium`, `Low` or `Informational`.
    public var severity: String?
    /// Required when `status` is `Closed` (unless the incident is already closed with one).
    public var classification: ClosingClassification?
    public var classificationComment: String?
    /// Tags added if missing (never removed).
    public var addLabels: [String]

    public init(ownerObjectId: String? = nil, status: String? = nil, severity: String? = nil, classification: ClosingClassification? = nil,
                classificationComment: String? = nil, addLabels: [String] = []) {
        self.ownerObjectId = ownerObjectId
        self.status = status
        self.severity = severity
        self.classification = classification
        self.classificationComment = classificationComment
        self.addLabels = addLabels
    }
}
