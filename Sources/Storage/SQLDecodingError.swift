/// A column held a value that cannot become the requested Swift type, or the column is missing.
public struct SQLDecodingError: Error, CustomStringConvertible, Equatable {
    /// The column, when known (``Row`` always sets it).
    public var column: String?
    /// The Swift type that was asked for.
    public var expected: String
    /// What the column held; `nil` when the row has no such column.
    public var found: SQLValue?

    public init(column: String? = nil, expected: String, found: SQLValue?) {
        self.column = column
        self.expected = expected
        self.found = found
    }

    public init<T>(expected: T.Type, found: SQLValue?, column: String? = nil) {
        self.init(column: column, expected: String(describing: expected), found: found)
    }

    public var description: String {
        let place = column.map { "column '\($0)'" } ?? "value"
        guard let found else { return "\(place) is missing from the row (expected \(expected))" }
        return "\(place): expected \(expected), found \(found.storageClass) \(found)"
    }
}
