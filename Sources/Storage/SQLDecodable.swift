/// A Swift value that can be read from a column.
///
/// Conformers throw ``SQLDecodingError`` when the value has the wrong type; ``Row/get(_:as:)``
/// fills in the column name.
public protocol SQLDecodable {
    init(sqlValue: SQLValue) throws
}
