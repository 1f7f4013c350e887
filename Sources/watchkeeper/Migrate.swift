import ArgumentParser
import Migrations
import Storage
import WatchkeeperApp

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations and exit.",
        discussion: "The migrations are compiled into the binary; each runs in its own transaction and a failing one rolls back."
    )

    @OptionGroup var options: ServerOptions

    func run() throws {
        let configuration = try options.resolve()
        let logger = options.bootstrapLogging(configuration)
        let database = try Database(path: configuration.databasePath, logger: logger)
        defer { database.close() }
        do {
            let applied = try database.migrate(embeddedMigrations)
            if applied.isEmpty {
                print("database \(configuration.databasePath) is up to date (version \(latestMigrationVersion))")
            } else {
                for migration in applied { print("applied \(migration.version) \(migration.name)") }
            }
        } catch {
            logger.critical("migration failed: \(error)")
            throw ExitCode(1)
        }
    }
}
