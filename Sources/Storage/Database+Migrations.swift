import Foundation

extension Database {
    static let createMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at INTEGER NOT NULL
        )
        """

    /// Applies the migrations this database lacks, in version order, each in its own transaction,
    /// and returns them. A failing migration is rolled back entirely and stops the run (those
    /// before it stay applied). Migration scripts must not contain BEGIN/COMMIT themselves.
    @discardableResult
    public func migrate(_ migrations: [Migration]) throws -> [Migration] {
        let byVersion = Dictionary(grouping: migrations, by: \.version)
        if let duplicate = byVersion.filter({ $0.value.count > 1 }).min(by: { $0.key < $1.key }) {
            throw MigrationError.duplicateVersion(duplicate.key, names: duplicate.value.map(\.name))
        }
        let ordered = migrations.sorted { $0.version < $1.version }
        let newestKnown = ordered.last?.version ?? 0
        let logger = self.logger
        return try writeExclusive { connection in
            try connection.execute(Self.createMigrationsTable)
            let applied = Set(try connection.query("SELECT version FROM schema_migrations")
                .map { try $0.get("version", as: Int.self) })
            if let newestApplied = applied.max(), newestApplied > newestKnown {
                throw MigrationError.databaseIsNewer(databaseVersion: newestApplied, newestKnownVersion: newestKnown)
            }
            var appliedNow: [Migration] = []
            for migration in ordered where !applied.contains(migration.version) {
                do {
                    try connection.control("BEGIN IMMEDIATE")
                    try connection.execute(migration.sql)
                    try connection.run(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        [.integer(Int64(migration.version)), .text(migration.name), Date().sqlValue])
                    try connection.control("COMMIT")
                } catch {
                    if connection.isInTransaction { try? connection.control("ROLLBACK") }
                    let failure = MigrationError.failed(version: migration.version, name: migration.name, underlying: error)
                    logger.error("\(failure)")
                    throw failure
                }
                logger.info("applied migration \(MigrationError.fileName(version: migration.version, name: migration.name))")
                appliedNow.append(migration)
            }
            return appliedNow
        }
    }

    /// Versions recorded in `schema_migrations`, ascending; empty for a database never migrated.
    public func appliedMigrationVersions() throws -> [Int] {
        try read { connection in
            let hasTable = try connection.queryOne(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") != nil
            guard hasTable else { return [] }
            return try connection.query("SELECT version FROM schema_migrations ORDER BY version")
                .map { try $0.get("version", as: Int.self) }
        }
    }
}
