import ArgumentParser
import Migrations
import Storage
import WatchkeeperApp

struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-key",
        abstract: "Manage API keys.",
        subcommands: [Create.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key and print it, alone, on standard output.",
            discussion: "The key is shown only this once; only its SHA-256 hash is stored. Applies pending migrations first."
        )

        @Option(help: "A name that says who or what uses the key.")
        var name: String

        @Option(help: "admin, responder (may act on alerts) or viewer (read only).")
        var role: String

        @OptionGroup var options: ServerOptions

        func run() throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be admin, responder or viewer")
            }
            let configuration = try options.resolve()
            let logger = options.bootstrapLogging(configuration)
            let database = try Database(path: configuration.databasePath, logger: logger)
            defer { database.close() }
            _ = try database.migrate(embeddedMigrations)
            do {
                let (_, secret) = try APIKeyStore(database: database, time: SystemTimeSource()).create(name: name, role: role)
                print(secret)
            } catch let error as APIKeyError {
                throw ValidationError("--name: \(error.description)")
            }
        }
    }
}
