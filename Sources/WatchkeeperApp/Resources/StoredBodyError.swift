/// A stored body that no longer decodes as its kind.
struct StoredBodyError: Error, CustomStringConvertible {
    var id: String
    var underlying: String
    var description: String { "stored body of \(id) cannot be read: \(underlying)" }
}
