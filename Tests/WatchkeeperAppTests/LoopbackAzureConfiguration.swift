import Foundation
@testable import WatchkeeperApp

/// A new folder and the configuration of an Application on a SQLite file in it, with a
/// connection secret key: what the tests that store real connections against the loopback
/// FakeARM + Entra start from. The caller removes the folder.
func loopbackAzureConfiguration(_ name: String) throws -> (configuration: Configuration, directory: URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var configuration = Configuration()
    configuration.listenPort = 0
    configuration.databasePath = directory.appendingPathComponent("test.db").path
    configuration.publicDirectory = directory.path
    configuration.secretKey = ConnectionSecretKey(key: .generate())
    return (configuration, directory)
}
