import Migrations
import Storage
import Testing

/// Migration 0009 rebuilds contact_methods to allow slack and teams: nothing that referenced a
/// contact method may be lost on the way (foreign keys are on while migrations run).
@Suite struct ChatContactMethodsMigrationTests {
    static let rebuild = 9

    private func count(_ table: String, _ connection: Connection) throws -> Int {
        try connection.queryOne("SELECT count(*) AS n FROM \(table)")!.get("n", as: Int.self)
    }

    /// Every table with a foreign key to contact_methods (more may come with later migrations).
    private func children(_ connection: Connection) throws -> [String] {
        try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .map { try $0.get("name", as: String.self) }
            .filter { table in
                try connection.query("SELECT \"table\" AS parent FROM pragma_foreign_key_list(?)", [.text(table)])
                    .contains { try $0.get("parent", as: String.self) == "contact_methods" }
            }
    }

    @Test func rowsAndTheirReferencesSurviveAndChatTypesAreAllowed() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("chat.db"))
        defer { database.close() }
        try database.migrate(embeddedMigrations.filter { $0.version < Self.rebuild })
        try database.write { (db: Connection) throws in
            try db.execute("""
                INSERT INTO users (id, version, created_at, updated_at, email, body) VALUES ('usr_a', 1, 0, 0, 'a@example.com', '{}');
                INSERT INTO contact_methods (id, user_id, type, name, address, verified_at, disabled_at, created_at, updated_at)
                    VALUES ('cm_sms', 'usr_a', 'sms', 'Phone', '+4791234567', 5, 7, 1, 2),
                           ('cm_mail', 'usr_a', 'email', 'Mail', 'a@example.com', NULL, NULL, 3, 4);
                INSERT INTO contact_method_verifications (contact_method_id, code_hash, expires_at, sent_at) VALUES ('cm_mail', x'00', 9, 8);
                INSERT INTO notification_rules (id, user_id, contact_method_id, delay_seconds, created_at)
                    VALUES ('nr_1', 'usr_a', 'cm_sms', 0, 1), ('nr_2', 'usr_a', 'cm_mail', 300, 1);
                """)
            // 'slack' is refused before the rebuild.
            #expect(throws: (any Error).self) {
                try db.run("INSERT INTO contact_methods (id, user_id, type, name, address, created_at, updated_at) VALUES ('cm_x', 'usr_a', 'slack', 'S', 'https://hooks.slack.com/x', 0, 0)")
            }
        }
        let before = try database.read { (db: Connection) throws in
            try (children(db).map { ($0, try count($0, db)) }, db.query("SELECT * FROM contact_methods ORDER BY id").map { $0.description })
        }
        #expect(before.0.contains { $0.0 == "notification_rules" && $0.1 == 2 })

        try database.migrate(embeddedMigrations)

        try database.read { (db: Connection) throws in
            #expect(try db.query("SELECT * FROM contact_methods ORDER BY id").map { $0.description } == before.1)
            for (table, rows) in before.0 { #expect(try count(table, db) == rows, "\(table)") }
            #expect(try db.query("PRAGMA foreign_key_check").isEmpty)
            #expect(try db.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'contact_methods_user'") != nil)
            #expect(try db.queryOne("SELECT 1 FROM sqlite_temp_master WHERE name = 'contact_methods_copy'") == nil)
        }
        try database.write { (db: Connection) throws in
            try db.run("""
                INSERT INTO contact_methods (id, user_id, type, name, address, created_at, updated_at) VALUES
                ('cm_slack', 'usr_a', 'slack', 'SOC channel', 'https://hooks.slack.com/services/T/B/X', 0, 0),
                ('cm_teams', 'usr_a', 'teams', 'SOC team', 'https://prod.westeurope.logic.azure.com/workflows/x', 0, 0)
                """)
            #expect(throws: (any Error).self) {
                try db.run("INSERT INTO contact_methods (id, user_id, type, name, address, created_at, updated_at) VALUES ('cm_f', 'usr_a', 'fax', 'F', '1', 0, 0)")
            }
            // The unique constraint and the cascades are those of 0005.
            #expect(throws: (any Error).self) {
                try db.run("INSERT INTO contact_methods (id, user_id, type, name, address, created_at, updated_at) VALUES ('cm_dup', 'usr_a', 'sms', 'P', '+4791234567', 0, 0)")
            }
            try db.run("DELETE FROM contact_methods WHERE id = 'cm_mail'")
            #expect(try count("notification_rules", db) == 1)
            #expect(try count("contact_method_verifications", db) == 0)
            try db.run("DELETE FROM users WHERE id = 'usr_a'")
            #expect(try count("contact_methods", db) == 0)
        }
    }
}
