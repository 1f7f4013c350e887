/// One result row: column names and values, detached from the statement that produced it.
public struct Row: Sendable {
    /// Column names in select order; shared by all rows of one result.
    let layout: ColumnLayout
    public let values: [SQLValue]

    init(layout: ColumnLayout, values: [SQLValue]) {
        self.layout = layout
        self.values = values
    }

    public var columns: [String] { layout.names }

    /// The value of `column`, or `.null` if the row has no such column
    /// (use ``get(_:as:)`` to have a missing column reported).
    public subscript(_ column: String) -> SQLValue {
        layout.index(of: column).map { values[$0] } ?? .null
    }

    public subscript(index index: Int) -> SQLValue {
        values[index]
    }

    public func contains(_ column: String) -> Bool {
        layout.index(of: column) != nil
    }

    /// The value of `column` as `T`; throws ``SQLDecodingError`` naming the column.
    public func get<T: SQLDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let index = layout.index(of: column) else {
            throw SQLDecodingError(expected: T.self, found: nil, column: column)
        }
        do {
            return try T(sqlValue: values[index])
        } catch var error as SQLDecodingError {
            error.column = column
            throw error
        }
    }

    /// Decodes the row into `type`, matching coding keys to column names.
    /// Properties of ``SQLDecodable`` types (`Date`, `Data`, ...) use their SQL representation.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: RowDecoder(row: self))
    }
}

/// Column names and a name-to-index map, built once per query.
final class ColumnLayout: Sendable {
    let names: [String]
    private let indexByName: [String: Int]

    init(names: [String]) {
        self.names = names
        var indexByName: [String: Int] = [:]
        // With duplicate names (joins), the first column wins, as in most SQLite wrappers.
        for (index, name) in names.enumerated() where indexByName[name] == nil {
            indexByName[name] = index
        }
        self.indexByName = indexByName
    }

    func index(of name: String) -> Int? {
        indexByName[name]
    }
}

extension Row: CustomStringConvertible {
    public var description: String {
        "[" + zip(layout.names, values).map { "\($0): \($1)" }.joined(separator: ", ") + "]"
    }
}
