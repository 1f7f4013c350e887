/// One page of a list: `{"items": [...], "nextCursor": "..." | null}`; `nextCursor` is null on
/// the last page.
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    var nextCursor: String?

    private enum CodingKeys: String, CodingKey { case items, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        // Written even when nil: clients test `nextCursor === null`, not its absence.
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
