import Foundation
@testable import HTTPServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ServerConcurrencyTests {
    /// A handler blocked on a worker must not hold up another connection (on either loop).
    @Test func blockedHandlerDoesNotDelayOthers() throws {
        let server = try TestServer { $0.eventLoopCount = 1 }
        let blocked = try TestClient(port: server.port)
        try blocked.send("GET /gate HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(server.gate.waitStarted())
        for _ in 0..<3 {
            #expect(try TestClient.get("/hello", port: server.port).text == "hello")
            #expect(try TestClient(port: server.port).request("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx").text == "x")
        }
        server.gate.open()
        #expect(try blocked.readResponse().text == "released")
    }

    /// With every worker blocked, the pool grows so a new blocking request still runs.
    @Test func workerPoolGrowsWhenAllAreBusy() throws {
        let server = try TestServer {
            $0.minimumWorkers = 2
            $0.maximumWorkers = 16
        }
        let clients = try (0..<8).map { _ in try TestClient(port: server.port) }
        for client in clients { try client.send("GET /gate HTTP/1.1\r\nHost: a\r\n\r\n") }
        // All eight handlers are running at once: more threads than the minimum.
        #expect(server.gate.waitStarted(count: 8))
        server.gate.open(count: 8)
        for client in clients { #expect(try client.readResponse().status == 200) }
    }

    @Test func openConnectionsIsAccurate() throws {
        let server = try TestServer()
        var clients = try (0..<5).map { _ in try TestClient(port: server.port) }
        for client in clients { #expect(try client.request("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").status == 200) }
        #expect(server.server.openConnections == 5)
        clients.removeAll()
        #expect(waitUntil { server.server.openConnections == 0 })
    }

    /// 1,000 idle or half-sent connections cost memory only: a new client is still served fast.
    @Test func thousandIdleConnectionsDoNotSlowOthers() throws {
        // 1,000 client sockets plus 1,000 server sockets live in this one test process.
        #expect(OpenFileLimit.raiseToMaximum() > 2_100)
        let server = try TestServer()
        var idle: [TestClient] = []
        for index in 0..<1000 {
            let client = try TestClient(port: server.port)
            if index.isMultiple(of: 2) { try client.send("GET /hello HTTP/1.1\r\nHost: a\r\nX-Half: ") }
            idle.append(client)
        }
        #expect(waitUntil { server.server.openConnections >= 1000 })
        var samples: [Duration] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            let response = try TestClient.get("/healthz", port: server.port)
            samples.append(ContinuousClock.now - start)
            #expect(response.status == 200)
        }
        let median = samples.sorted()[2]
        #expect(median < .milliseconds(50), "median \(median)")
        #expect(server.server.openConnections >= 1000)
        withExtendedLifetime(idle) {}
    }
}

/// Polls `condition` for up to 5 s (for effects that happen on another thread).
func waitUntil(_ condition: () -> Bool) -> Bool {
    for _ in 0..<500 {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return condition()
}
