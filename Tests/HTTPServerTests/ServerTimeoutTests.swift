import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing

/// Short timeouts (300 ms) so the rules are exercised quickly; reads block until the server acts.
@Suite struct ServerTimeoutTests {
    static func shortTimeouts() throws -> TestServer {
        try TestServer {
            $0.headTimeout = .milliseconds(300)
            $0.bodyIdleTimeout = .milliseconds(300)
            $0.keepAliveTimeout = .milliseconds(300)
        }
    }

    @Test func incompleteHeadGets408AndClose() throws {
        let server = try Self.shortTimeouts()
        let client = try TestClient(port: server.port)
        try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(response.header("Connection") == "close")
        #expect(try client.isClosedByPeer())
    }

    /// Slowloris: a head trickling in keeps running against the deadline set by its first byte.
    /// The drip would outlast the client's 5 s receive timeout if each byte extended the deadline.
    @Test func tricklingHeadStillTimesOut() throws {
        let server = try Self.shortTimeouts()
        let client = try TestClient(port: server.port)
        // A first request makes the connection a keep-alive one: the timer then starts at the first byte.
        #expect(try client.request("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").status == 200)
        try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n")
        let answered = Mutex(false)
        let fd = client.fd
        let dripDone = DispatchSemaphore(value: 0)
        let drip = Thread {
            defer { dripDone.signal() }
            for index in 0..<70 {
                Thread.sleep(forTimeInterval: 0.1)
                if answered.withLock({ $0 }) { return }
                let line = Array("X-\(index): v\r\n".utf8)
                guard Glibc.send(fd, line, line.count, Int32(MSG_NOSIGNAL)) == line.count else { return }
            }
        }
        drip.start()
        let response = try client.readResponse()
        answered.withLock { $0 = true }
        #expect(response.status == 408)
        // The socket must outlive the drip thread's last send.
        dripDone.wait()
    }

    @Test func silentNewConnectionGets408AndClose() throws {
        let server = try Self.shortTimeouts()
        let client = try TestClient(port: server.port)
        #expect(try client.readResponse().status == 408)
        #expect(try client.isClosedByPeer())
    }

    @Test func stalledBodyGets408AndClose() throws {
        let server = try Self.shortTimeouts()
        let client = try TestClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(try client.isClosedByPeer())
    }

    @Test func stalledChunkedBodyGets408AndClose() throws {
        let server = try Self.shortTimeouts()
        let client = try TestClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")
        #expect(try client.readResponse().status == 408)
        #expect(try client.isClosedByPeer())
    }

    @Test func idleKeepAliveIsClosedSilently() throws {
        let server = try Self.shortTimeouts()
        let client = try TestClient(port: server.port)
        #expect(try client.request("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").status == 200)
        // Closed with no bytes at all (no 408 on an idle keep-alive connection).
        #expect(try client.readToEnd().isEmpty)
    }

    @Test func bodyArrivingSteadilyIsNotCutOff() throws {
        let server = try Self.shortTimeouts()
        let client = try TestClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n")
        for byte in "abcde" {
            Thread.sleep(forTimeInterval: 0.1)
            try client.send(String(byte))
        }
        #expect(try client.readResponse().text == "abcde")
    }
}
