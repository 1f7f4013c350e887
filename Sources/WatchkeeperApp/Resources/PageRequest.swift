import Cryptography
import HTTPServer

/// The `?limit=` and `?cursor=` of a list request. The cursor is the base64url of the last id of
/// the previous page: opaque to clients, and stable under inserts and deletes because lists are
/// ordered by id.
struct PageRequest: Sendable, Equatable {
    static let defaultLimit = 50
    static let maximumLimit = 500

    var limit: Int
    /// The id after which the page starts; nil for the first page.
    var after: String?

    init(limit: Int = PageRequest.defaultLimit, after: String? = nil) {
        self.limit = limit
        self.after = after
    }

    /// 400 naming `limit` or `cursor` when either is malformed. `idPrefix` is the prefix of the
    /// listed ids, so a cursor from another collection is refused rather than silently misused.
    init(_ request: HTTPRequest, idPrefix: String) throws {
        self.init()
        if let text = request.query("limit") {
            guard let value = Int(text), (1...Self.maximumLimit).contains(value) else {
                throw HTTPError.invalid("limit", "must be an integer from 1 to \(Self.maximumLimit), got \"\(text)\"")
            }
            limit = value
        }
        if let cursor = request.query("cursor") {
            guard let id = Self.decodeCursor(cursor), id.hasPrefix(idPrefix) else {
                throw HTTPError.invalid("cursor", "is not a cursor from this list; pass nextCursor from the previous page unchanged")
            }
            after = id
        }
    }

    static func cursor(after id: String) -> String { Base64URL.encode(Array(id.utf8)) }

    static func decodeCursor(_ cursor: String) -> String? {
        guard !cursor.isEmpty, cursor.utf8.count <= 200, let bytes = Base64URL.decode(cursor) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
