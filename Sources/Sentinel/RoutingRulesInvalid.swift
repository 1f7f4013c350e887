/// A rule list that cannot be saved or evaluated, with every problem found.
public struct RoutingRulesInvalid: Error, Sendable, Equatable {
    public var errors: [RoutingFieldError]

    public init(errors: [RoutingFieldError]) {
        self.errors = errors
    }
}
