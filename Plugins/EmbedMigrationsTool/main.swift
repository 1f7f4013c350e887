import Foundation

// Usage: EmbedMigrationsTool OUTPUT.swift FILE.sql...
// Each file must be named NNNN_description.sql; the number is the migration's version.
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: EmbedMigrationsTool OUTPUT FILE...\n".utf8))
    exit(2)
}
var entries: [String] = []
var seen: Set<Int> = []
for path in arguments.dropFirst() {
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    let digits = name.prefix { $0.isNumber }
    guard let version = Int(digits), !digits.isEmpty, name.dropFirst(digits.count).first == "_" else {
        FileHandle.standardError.write(Data("error: migration file \(path) must be named NNNN_description.sql\n".utf8))
        exit(1)
    }
    guard seen.insert(version).inserted else {
        FileHandle.standardError.write(Data("error: migration version \(version) appears twice\n".utf8))
        exit(1)
    }
    let sql = try String(contentsOfFile: path, encoding: .utf8)
    // A raw string delimiter longer than any run of '#' in the SQL keeps the text verbatim.
    var hashes = "#"
    while sql.contains("\"" + hashes) || sql.contains(hashes + "\"") { hashes += "#" }
    let description = String(name.dropFirst(digits.count + 1))
    entries.append("    Migration(version: \(version), name: \(String(reflecting: description)), sql: \(hashes)\"\"\"\n\(sql)\n\"\"\"\(hashes)),")
}
let source = """
// Generated from migrations/*.sql by the EmbedMigrations plugin. Do not edit.
import Storage

public let embeddedMigrations: [Migration] = [
\(entries.joined(separator: "\n"))
]

"""
try source.write(toFile: output, atomically: true, encoding: .utf8)
