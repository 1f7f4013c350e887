import Migrations
import Storage
import Testing

@Suite struct MigrationTests {
    static let teams = Migration(version: 1, name: "teams", sql: """
        CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        INSERT INTO teams (name) VALUES ('soc');
        """)
    static let users = Migration(version: 2, name: "users", sql: """
        -- depends on 0001
        CREATE TABLE users (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES teams(id));
        INSERT INTO users (team_id) SELECT id FROM teams;
        """)
    static let brokenUsers = Migration(version: 2, name: "users", sql: """
        CREATE TABLE users (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES teams(id));
        INSERT INTO users (team_id) SELECT id FROM teams;
        UPDATE teams SET name = 'changed';
        INSERT INTO users (team_id) SELECT id FROM no_such_table;
        """)
    static let audit = Migration(version: 3, name: "audit", sql: "CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));")

    private func tables(_ database: Database) throws -> [String] {
        try database.read { connection in
            try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .map { try $0.get("name", as: String.self) }
        }
    }

    @Test func embeddedMigrationsApplyToAFreshDatabase() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("embedded.db"))
        defer { database.close() }
        #expect(try database.appliedMigrationVersions() == [])
        let applied = try database.migrate(embeddedMigrations)
        #expect(applied.map(\.version) == embeddedMigrations.map(\.version).sorted())
        #expect(try database.appliedMigrationVersions().last == latestMigrationVersion)
        #expect(try tables(database).contains("api_keys"))
    }

    @Test func appliesMissingMigrationsInVersionOrderAndRerunsAsANoOp() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("order.db")
        let database = try Database(path: path)
        #expect(try database.migrate([Self.audit, Self.teams, Self.users]).map(\.version) == [1, 2, 3])
        #expect(try database.migrate([Self.audit, Self.teams, Self.users]) == [])
        let recorded = try database.read { connection in
            try connection.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
        }
        #expect(recorded.map { $0["name"] } == ["teams", "users", "audit"])
        #expect(recorded.allSatisfy { if case .integer(let at) = $0["applied_at"] { at > 1_700_000_000_000 } else { false } })
        database.close()
        let reopened = try Database(path: path)
        defer { reopened.close() }
        #expect(try reopened.migrate([Self.teams, Self.users, Self.audit]) == [])
        #expect(try reopened.read { try $0.queryOne("SELECT count(*) AS n FROM users")?.get("n", as: Int.self) } == 1)
    }

    @Test func aFailingMigrationRollsBackCompletelyAndKeepsEarlierOnes() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("broken.db"))
        defer { database.close() }
        let error = #expect(throws: MigrationError.self) {
            try database.migrate([Self.teams, Self.brokenUsers, Self.audit])
        }
        let description = String(describing: error)
        #expect(description.contains("0002_users"))
        #expect(description.contains("no such table: no_such_table"))
        #expect(try database.appliedMigrationVersions() == [1])
        #expect(try tables(database) == ["schema_migrations", "teams"])
        // The UPDATE in the failed script was undone too.
        #expect(try database.read { try $0.queryOne("SELECT name FROM teams")?.get("name", as: String.self) } == "soc")
        // Once fixed, the rest applies.
        #expect(try database.migrate([Self.teams, Self.users, Self.audit]).map(\.version) == [2, 3])
    }

    @Test func aDatabaseNewerThanTheBinaryIsRefused() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("newer.db"))
        defer { database.close() }
        try database.migrate([Self.teams, Self.users, Self.audit])
        let error = #expect(throws: MigrationError.self) { try database.migrate([Self.teams, Self.users]) }
        #expect(String(describing: error).contains("database is newer than this binary"))
        #expect(String(describing: error).contains("schema version 3"))
        #expect(try database.appliedMigrationVersions() == [1, 2, 3])
    }

    @Test func duplicateVersionsAreRejectedBeforeAnythingIsApplied() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("duplicates.db"))
        defer { database.close() }
        let clash = Migration(version: 2, name: "other", sql: "CREATE TABLE other (x);")
        let error = #expect(throws: MigrationError.self) { try database.migrate([Self.teams, Self.users, clash]) }
        #expect(String(describing: error).contains("version 2 appears more than once"))
        #expect(try database.appliedMigrationVersions() == [])
        #expect(try tables(database) == [])
    }
}
