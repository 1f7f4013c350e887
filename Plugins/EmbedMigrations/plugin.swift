import Foundation
import PackagePlugin

/// Turns `migrations/NNNN_name.sql` at the package root into Swift source, so the SQL ships
/// inside the binary and `watchkeeper migrate` works wherever the binary is copied.
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "migrations")
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        let sqlFiles = files.filter { $0.pathExtension == "sql" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedMigrations.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(sqlFiles.count) migrations",
                executable: try context.tool(named: "EmbedMigrationsTool").url,
                arguments: [output.path] + sqlFiles.map(\.path),
                inputFiles: sqlFiles + [directory],
                outputFiles: [output]
            ),
        ]
    }
}
