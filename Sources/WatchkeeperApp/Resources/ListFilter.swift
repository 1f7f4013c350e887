import Storage

/// Extra SQL conditions a collection's query parameters add to a list (`?from=&to=`), each a
/// constant fragment over the table's own columns with bound values.
struct ListFilter: Sendable {
    struct Condition: Sendable {
        var sql: String
        var bindings: [SQLValue]
    }

    var conditions: [Condition] = []

    static let none = ListFilter()
}
