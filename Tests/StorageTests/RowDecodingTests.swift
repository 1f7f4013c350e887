import Foundation
import Storage
import Testing

@Suite struct RowDecodingTests {
    enum Role: String, Codable { case admin, responder, viewer }

    struct APIKey: Codable, Equatable {
        var id: Int64
        var name: String
        var role: Role
        var createdAt: Date
        var keyHash: Data
        var lastUsedAt: Date?
        var uses: Int32
        var weight: Double?
        var enabled: Bool
        var note: String?

        enum CodingKeys: String, CodingKey {
            case id, name, role, uses, weight, enabled, note
            case createdAt = "created_at", keyHash = "key_hash", lastUsedAt = "last_used_at"
        }
    }

    @Test func decodesACodableStructByColumnName() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("decode.db"))
        defer { database.close() }
        let created = Date(unixMilliseconds: 1_767_225_600_000)
        let rows = try database.write { connection in
            try connection.execute("""
                CREATE TABLE api_keys (id INTEGER PRIMARY KEY, name TEXT, role TEXT, created_at INTEGER,
                                       key_hash BLOB, last_used_at INTEGER, uses INTEGER, weight REAL, enabled INTEGER)
                """)
            try connection.run("INSERT INTO api_keys VALUES (1, 'ci', 'admin', ?, ?, NULL, 3, NULL, 1)",
                               [SQLValue(created), SQLValue(Data([9, 8, 7]))])
            try connection.run("INSERT INTO api_keys VALUES (2, 'pager', 'viewer', ?, ?, ?, 0, 0.5, 0)",
                               [SQLValue(created), SQLValue(Data()), SQLValue(created.addingTimeInterval(60))])
            // No `note` column: an optional property whose column is absent decodes as nil.
            return try connection.query("SELECT * FROM api_keys ORDER BY id")
        }
        let keys = try rows.map { try $0.decode(APIKey.self) }
        #expect(keys == [
            APIKey(id: 1, name: "ci", role: .admin, createdAt: created, keyHash: Data([9, 8, 7]),
                   lastUsedAt: nil, uses: 3, weight: nil, enabled: true, note: nil),
            APIKey(id: 2, name: "pager", role: .viewer, createdAt: created, keyHash: Data(),
                   lastUsedAt: created.addingTimeInterval(60), uses: 0, weight: 0.5, enabled: false, note: nil),
        ])
    }

    @Test func decodingFailuresNameTheColumn() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("decode-errors.db"))
        defer { database.close() }
        struct Small: Decodable { var id: Int; var uses: Int8; var name: String }
        let tooBig = try #require(try database.read { try $0.queryOne("SELECT 1 AS id, 300 AS uses, 'x' AS name") })
        let overflow = #expect(throws: SQLDecodingError.self) { try tooBig.decode(Small.self) }
        #expect(overflow?.column == "uses")
        let noName = try #require(try database.read { try $0.queryOne("SELECT 1 AS id, 3 AS uses") })
        let missing = #expect(throws: SQLDecodingError.self) { try noName.decode(Small.self) }
        #expect(missing?.column == "name")
        #expect(missing?.found == nil)
        let badRole = try #require(try database.read { try $0.queryOne("SELECT 'owner' AS role") })
        struct WithRole: Decodable { var role: Role }
        #expect(throws: DecodingError.self) { try badRole.decode(WithRole.self) }
    }
}
