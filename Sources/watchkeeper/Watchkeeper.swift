import ArgumentParser
import WatchkeeperApp

@main
struct Watchkeeper: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watchkeeper",
        abstract: "On-call paging for Microsoft Sentinel.",
        version: WatchkeeperVersion.current,
        subcommands: [Serve.self, Migrate.self, Backup.self, APIKeyCommand.self, Healthcheck.self, Version.self],
        defaultSubcommand: Serve.self
    )
}
