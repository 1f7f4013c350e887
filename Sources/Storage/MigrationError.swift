/// Why ``Database/migrate(_:)`` refused or failed.
public enum MigrationError: Error, CustomStringConvertible {
    /// Two migrations in the input share a version.
    case duplicateVersion(Int, names: [String])
    /// The database records a version newer than any this binary knows.
    case databaseIsNewer(databaseVersion: Int, newestKnownVersion: Int)
    /// A migration's script failed; it was rolled back and not recorded.
    case failed(version: Int, name: String, underlying: any Error)

    public var description: String {
        switch self {
        case .duplicateVersion(let version, let names):
            "migration version \(version) appears more than once (\(names.joined(separator: ", ")))"
        case .databaseIsNewer(let databaseVersion, let newestKnownVersion):
            "database is newer than this binary: it has schema version \(databaseVersion), "
                + "this binary knows up to \(newestKnownVersion); run a newer Watchkeeper or restore a backup"
        case .failed(let version, let name, let underlying):
            "migration \(Self.fileName(version: version, name: name)) failed and was rolled back: \(underlying)"
        }
    }

    /// `0007_alerts`, as the file in migrations/ is named.
    static func fileName(version: Int, name: String) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name
    }
}
