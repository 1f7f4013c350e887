/// One `{name, value}` of a log alert's `alertContext.condition.allOf[].dimensions`.
public struct AzureMonitorDimension: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
