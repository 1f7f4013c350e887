import Foundation

/// Tests/python/smtp_sink.py (aiosmtpd) as a child process on 127.0.0.1, with a self-signed
/// certificate for 127.0.0.1 made by the openssl CLI. Each message it accepts is parsed by Python's
/// email package and written to `directory/<n>.json`; the process ends when this object goes away.
final class MailSink {
    enum Mode: String { case plain, starttls, smtps }

    let directory: URL
    let port: Int
    let certificatePath: String
    private let process: Process
    private let input: Pipe

    struct Received: Decodable {
        struct Part: Decodable {
            var contentType: String
            var charset: String?
            var transferEncoding: String?
            var content: String
        }
        var mailFrom: String
        var rcptTos: [String]
        var tls: Bool
        var authenticated: Bool
        var login: String?
        var headers: [String: String]
        var rawSubject: String
        var contentType: String
        var parts: [Part]
        var defects: [String]
        var longestLine: Int
        var bareLineFeeds: Int
        var raw: String

        var rawText: String { String(decoding: Data(base64Encoded: raw) ?? Data(), as: UTF8.self) }
        func part(_ type: String) -> Part? { parts.first { $0.contentType == type } }
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("python").appendingPathComponent("smtp_sink.py").path

    init(mode: Mode = .plain, auth: (user: String, password: String)? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wk-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        certificatePath = directory.appendingPathComponent("cert.pem").path
        let keyPath = directory.appendingPathComponent("key.pem").path
        try Self.run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", certificatePath,
                                      "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])

        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", Self.script, "--dir", directory.path, "--mode", mode.rawValue, "--cert", certificatePath, "--key", keyPath]
        if let auth { arguments += ["--auth", "\(auth.user):\(auth.password)"] }
        process.arguments = arguments
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is "PORT <n>", printed once the socket listens.
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw SinkError("smtp_sink.py did not start (is aiosmtpd installed?): \(text)")
        }
        self.port = port
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Closes the sink's stdin (it exits) and waits for it.
    func stop() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Every message received so far, in order.
    func received() throws -> [Received] {
        var messages: [Received] = []
        var index = 1
        while let data = FileManager.default.contents(atPath: directory.appendingPathComponent("\(index).json").path) {
            messages.append(try JSONDecoder().decode(Received.self, from: data))
            index += 1
        }
        return messages
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SinkError("\(arguments.joined(separator: " ")) exited \(process.terminationStatus)") }
    }
}

struct SinkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
