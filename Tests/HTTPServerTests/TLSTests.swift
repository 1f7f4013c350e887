import Foundation
@testable import HTTPServer
import Testing

/// A throwaway self-signed certificate made with the openssl CLI.
private struct TestCertificate {
    let directory: URL
    var certificate: String { directory.appendingPathComponent("cert.pem").path }
    var key: String { directory.appendingPathComponent("key.pem").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wk-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let result = try runTool("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                                                      "-days", "1", "-keyout", key, "-out", certificate])
        guard result.status == 0 else { throw TestFailure("openssl req failed: \(result.output)") }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

@Suite struct TLSTests {
    private static func server(_ certificate: TestCertificate, configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> TestServer {
        try TestServer {
            $0.tls = TLSConfiguration(certificateChainPath: certificate.certificate, privateKeyPath: certificate.key)
            configure(&$0)
        }
    }

    @Test func curlOverTLS12AndKeepAlive() throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        let server = try Self.server(certificate)
        let url = "https://127.0.0.1:\(server.port)"
        let result = try runTool("/usr/bin/curl", ["-sk", "--tlsv1.2", "--max-time", "10", "\(url)/hello", "\(url)/stream",
                                                   "-X", "POST", "--data-binary", "posted", "\(url)/echo"])
        #expect(result.status == 0)
        #expect(result.output == "hello" + "part0\npart1\npart2\n" + "posted")
    }

    @Test func tls13Works() throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        let server = try Self.server(certificate)
        let result = try runTool("/usr/bin/curl", ["-sk", "--tlsv1.3", "--max-time", "10", "-w", " %{http_code}", "https://127.0.0.1:\(server.port)/hello"])
        #expect(result.output == "hello 200")
    }

    @Test func tls11IsRefusedByTheServer() throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        let server = try Self.server(certificate)
        // SECLEVEL=0 lets the client really offer TLS 1.1, so the refusal comes from the server.
        let old = try runTool("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"])
        #expect(old.status != 0)
        #expect(old.output.contains("alert protocol version"))
        let current = try runTool("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_2"])
        #expect(current.status == 0)
        #expect(current.output.contains("TLSv1.2"))
    }

    @Test func plainHTTPOnTLSPortIsDropped() throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        let server = try Self.server(certificate)
        let client = try TestClient(port: server.port)
        try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = try client.readToEnd()
        #expect(waitUntil { server.server.openConnections == 0 })
    }

    @Test func stalledHandshakeIsBoundedByTheHeadTimeout() throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        let server = try Self.server(certificate) { $0.headTimeout = .milliseconds(300) }
        let client = try TestClient(port: server.port)
        // Half a TLS record header, then nothing.
        try client.send([0x16, 0x03])
        #expect(try client.readToEnd().isEmpty)
    }

    @Test func missingCertificateFileIsAClearError() throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.tls = TLSConfiguration(certificateChainPath: certificate.directory.appendingPathComponent("nope.pem").path, privateKeyPath: certificate.key)
        let server = HTTPServer(configuration: configuration, responder: TestResponder(), logger: .init(label: "t"))
        #expect {
            try server.start()
        } throws: { error in
            "\(error)".contains("cannot read the certificate chain file") && "\(error)".contains("nope.pem")
        }
    }

    @Test func mismatchedKeyIsAClearError() throws {
        let first = try TestCertificate(), second = try TestCertificate()
        defer { first.remove(); second.remove() }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.tls = TLSConfiguration(certificateChainPath: first.certificate, privateKeyPath: second.key)
        let server = HTTPServer(configuration: configuration, responder: TestResponder(), logger: .init(label: "t"))
        #expect {
            try server.start()
        } throws: { error in
            "\(error)".contains("does not match")
        }
    }
}
