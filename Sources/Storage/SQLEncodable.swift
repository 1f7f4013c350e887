/// A Swift value that can be bound to a statement parameter.
public protocol SQLEncodable {
    var sqlValue: SQLValue { get }
}
