import Foundation

/// Runs the `openssl` command-line tool in a private temporary directory, as an oracle that
/// shares no code with the Cryptography module's Swift side. The directory goes away with the object.
final class OpenSSLCLI {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wk-crypto-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    struct Result {
        let status: Int32
        let output: String
    }

    /// Runs `openssl arguments...` with the temporary directory as working directory.
    func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Read before waiting so a full pipe cannot block the child.
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    /// Runs and throws unless the exit status is 0.
    @discardableResult
    func mustRun(_ arguments: [String]) throws -> Result {
        let result = try run(arguments)
        guard result.status == 0 else {
            throw FixtureError(message: "openssl \(arguments.joined(separator: " ")) exited \(result.status): \(result.output)")
        }
        return result
    }

    func write(_ bytes: [UInt8], to name: String) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }

    func read(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    func readText(_ name: String) throws -> String {
        String(decoding: try read(name), as: UTF8.self)
    }

    /// Generates an RSA private key file `name` and returns its PEM text.
    func generateRSAKey(bits: Int = 2048, name: String = "key.pem") throws -> String {
        try mustRun(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(bits)", "-out", name])
        return try readText(name)
    }

    /// Writes the public half of private key file `privateName` to `name` and returns its PEM text.
    func exportPublicKey(from privateName: String = "key.pem", to name: String = "pub.pem") throws -> String {
        try mustRun(["pkey", "-in", privateName, "-pubout", "-out", name])
        return try readText(name)
    }

    /// True if `openssl dgst -sha256 -verify` accepts `signature` of `message` under public key file `publicName`.
    func verifyRS256(signature: [UInt8], message: [UInt8], publicKey publicName: String = "pub.pem") throws -> Bool {
        try write(message, to: "message.bin")
        try write(signature, to: "signature.bin")
        let result = try run(["dgst", "-sha256", "-verify", publicName, "-signature", "signature.bin", "message.bin"])
        return result.status == 0 && result.output.contains("Verified OK")
    }
}
