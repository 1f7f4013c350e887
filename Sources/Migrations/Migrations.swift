// `embeddedMigrations` is generated at build time from migrations/*.sql (see Plugins/EmbedMigrations).
import Storage

/// The newest schema version this binary knows.
public var latestMigrationVersion: Int { embeddedMigrations.map(\.version).max() ?? 0 }
