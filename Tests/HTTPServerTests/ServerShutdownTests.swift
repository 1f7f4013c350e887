import Foundation
@testable import HTTPServer
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ServerShutdownTests {
    @Test func inFlightRequestCompletesAndNewConnectionsAreRefused() throws {
        let server = try TestServer { $0.shutdownGracePeriod = .seconds(5) }
        let port = server.port
        let idle = try TestClient(port: port)
        #expect(try idle.request("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").status == 200)
        let busy = try TestClient(port: port)
        try busy.send("GET /gate HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(server.gate.waitStarted())

        let stopped = DispatchSemaphore(value: 0)
        let elapsed = Mutex<Duration?>(nil)
        let shutdown = Thread {
            let start = ContinuousClock.now
            server.stop()
            elapsed.withLock { $0 = ContinuousClock.now - start }
            stopped.signal()
        }
        shutdown.start()

        // The idle keep-alive connection is closed at once, without a response.
        #expect(try idle.readToEnd().isEmpty)
        #expect(waitUntil { TestClient.connectionError(port: port) == ECONNREFUSED })
        #expect(elapsed.withLock { $0 } == nil, "shutdown waits for the request in flight")

        server.gate.open()
        let response = try busy.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "released")
        #expect(response.header("Connection") == "close")
        #expect(try busy.isClosedByPeer())
        #expect(stopped.wait(timeout: .now() + 10) == .success)
        let took = try #require(elapsed.withLock { $0 })
        #expect(took < .seconds(5))
        #expect(server.server.openConnections == 0)
    }

    @Test func graceExpiryForceClosesWhatRemains() throws {
        let server = try TestServer { $0.shutdownGracePeriod = .milliseconds(300) }
        let busy = try TestClient(port: server.port)
        try busy.send("GET /gate HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(server.gate.waitStarted())
        let start = ContinuousClock.now
        server.stop()
        let took = ContinuousClock.now - start
        #expect(took >= .milliseconds(250))
        #expect(took < .seconds(3))
        // Force-closed: no response.
        #expect(try busy.readToEnd().isEmpty)
        server.gate.open()
    }

    @Test func shutdownIsIdempotentAndWaitUntilStoppedReturns() throws {
        let server = try TestServer()
        #expect(try TestClient.get("/hello", port: server.port).status == 200)
        let port = server.port
        server.stop()
        server.stop()
        server.server.waitUntilStopped()
        #expect(TestClient.connectionError(port: port) == ECONNREFUSED)
        #expect(throws: HTTPServerError.alreadyStarted) { try server.server.start() }
    }

    @Test func shutdownBeforeStartReturns() {
        let server = HTTPServer(configuration: ServerConfiguration(), responder: TestResponder(), logger: .init(label: "t"))
        server.shutdown()
        server.waitUntilStopped()
    }
}
