/// A routing rule that cannot be saved: the member (dotted path, `conditions.titleMatches`,
/// `conditions.timeWindow.windows.0.start`) and why.
public struct RoutingFieldError: Sendable, Equatable, Error {
    public var field: String
    public var detail: String

    public init(field: String, detail: String) {
        self.field = field
        self.detail = detail
    }
}
