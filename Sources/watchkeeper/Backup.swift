import ArgumentParser
import Foundation
import Storage
import WatchkeeperApp

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database to FILE, safely while the server runs."
    )

    @Argument(help: "Where to write the copy; must not exist yet.")
    var file: String

    @OptionGroup var options: ServerOptions

    func run() throws {
        let configuration = try options.resolve()
        let logger = options.bootstrapLogging(configuration)
        guard FileManager.default.fileExists(atPath: configuration.databasePath) else {
            throw ValidationError("no database at \(configuration.databasePath)")
        }
        let database = try Database(path: configuration.databasePath, readers: 1, logger: logger)
        defer { database.close() }
        do {
            try database.backup(to: file)
        } catch {
            logger.critical("backup failed: \(error)")
            throw ExitCode(1)
        }
        print("backed up \(configuration.databasePath) to \(file)")
    }
}
