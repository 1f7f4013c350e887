import Storage
import Testing

@Suite struct ErrorTests {
    private func makeSchema(_ directory: TemporaryDirectory) throws -> Database {
        let database = try Database(path: directory.file("constraints.db"))
        try database.write { connection in
            try connection.execute("""
                CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                CREATE TABLE users (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES teams(id),
                                    age INTEGER CHECK (age >= 0));
                INSERT INTO teams (id, name) VALUES (1, 'soc');
                """)
        }
        return database
    }

    private func failure(_ database: Database, _ sql: String) -> SQLiteError? {
        #expect(throws: SQLiteError.self) { try database.write { try $0.run(sql) } }
    }

    @Test func constraintViolationsAreClassified() throws {
        let directory = try TemporaryDirectory()
        let database = try makeSchema(directory)
        defer { database.close() }

        let unique = try #require(failure(database, "INSERT INTO teams (name) VALUES ('soc')"))
        #expect(unique.isConstraintViolation && unique.isUniqueViolation && !unique.isForeignKeyViolation)
        #expect(unique.message.contains("UNIQUE constraint failed: teams.name"))

        let primaryKey = try #require(failure(database, "INSERT INTO teams (id, name) VALUES (1, 'other')"))
        #expect(primaryKey.isConstraintViolation && primaryKey.isUniqueViolation)

        let foreignKey = try #require(failure(database, "INSERT INTO users (team_id) VALUES (99)"))
        #expect(foreignKey.isConstraintViolation && foreignKey.isForeignKeyViolation && !foreignKey.isUniqueViolation)

        let notNull = try #require(failure(database, "INSERT INTO users (team_id) VALUES (NULL)"))
        #expect(notNull.isConstraintViolation && !notNull.isUniqueViolation && !notNull.isForeignKeyViolation)

        let check = try #require(failure(database, "INSERT INTO users (team_id, age) VALUES (1, -1)"))
        #expect(check.isConstraintViolation && !check.isUniqueViolation)

        let syntax = try #require(failure(database, "INSERT INTO nowhere VALUES (1)"))
        #expect(!syntax.isConstraintViolation && !syntax.isBusy)
        #expect(syntax.sql == "INSERT INTO nowhere VALUES (1)")
        #expect(syntax.description.contains("no such table: nowhere"))
    }

    @Test func userSQLCannotControlTransactions() throws {
        let directory = try TemporaryDirectory()
        let database = try makeSchema(directory)
        defer { database.close() }
        for sql in ["COMMIT", "ROLLBACK", "BEGIN", "SAVEPOINT mine", "RELEASE mine"] {
            let error = #expect(throws: DatabaseError.self) {
                try database.write { connection in
                    try connection.run("INSERT INTO teams (name) VALUES ('partial')")
                    try connection.execute(sql)
                }
            }
            #expect(String(describing: error).contains("transaction control statements are not allowed"))
        }
        let count = try database.read { try $0.queryOne("SELECT count(*) AS n FROM teams")?.get("n", as: Int.self) }
        #expect(count == 1)
    }

    @Test func nestedTransactionsRollBackOnlyTheFailingLevel() throws {
        let directory = try TemporaryDirectory()
        let database = try makeSchema(directory)
        defer { database.close() }
        struct Abort: Error {}
        let names = try database.write { connection in
            try connection.run("INSERT INTO teams (name) VALUES ('outer')")
            try connection.transaction {
                try connection.run("INSERT INTO teams (name) VALUES ('middle')")
                _ = try? connection.transaction {
                    try connection.run("INSERT INTO teams (name) VALUES ('inner')")
                    throw Abort()
                }
            }
            return try connection.query("SELECT name FROM teams ORDER BY id").map { try $0.get("name", as: String.self) }
        }
        #expect(names == ["soc", "outer", "middle"])
    }
}
