/// A stored row that does not have the shape the API writes: a server fault (500), never the caller's.
struct StoredDataError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
