import Foundation
import HTTPServer
import Logging
import OutboundHTTP
import Testing

/// A real server on loopback that shows the client what it sent.
private final class LoopbackServer: Sendable {
    let server: HTTPServer
    var base: String { "http://127.0.0.1:\(server.localPort)" }

    init() throws {
        var router = Router()
        router.post("/echo") { request, _ in
            var headers = HTTPHeaders()
            headers.add("X-Method", request.method.rawValue)
            headers.add("X-Seen-Content-Type", request.headers["Content-Type"] ?? "")
            headers.add("X-Seen-Expect", request.headers["Expect"] ?? "")
            headers.add("Content-Type", "application/octet-stream")
            return HTTPResponse(status: .ok, headers: headers, body: .bytes(request.body))
        }
        router.put("/echo") { request, _ in
            HTTPResponse(status: .ok, contentType: "text/plain", body: Array("\(request.method.rawValue) \(request.body.count)".utf8))
        }
        router.get("/throttled") { _, _ in
            var headers = HTTPHeaders()
            headers.add("Retry-After", "7")
            return HTTPResponse(status: .tooManyRequests, headers: headers, body: .bytes(Array("slow down".utf8)))
        }
        router.get("/slow") { _, _ in
            Thread.sleep(forTimeInterval: 2)
            return .text("late")
        }
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        server = HTTPServer(configuration: configuration, responder: router, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try server.start()
    }

    func stop() { server.shutdown() }
}

@Suite struct HTTPClientTests {
    @Test func postSendsBodyAndHeadersAndReadsTheAnswer() throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let client = HTTPClient()
        let body = Array(String(repeating: "páge ", count: 400).utf8)
        let response = try client.send(HTTPClientRequest(method: "POST", url: server.base + "/echo",
                                                         headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body))
        #expect(response.status == 200)
        #expect(response.body == body)
        #expect(response.header("x-method") == "POST")
        #expect(response.header("X-Seen-Content-Type") == "application/x-www-form-urlencoded")
        // No 100-continue round trip on a 2 kB body.
        #expect(response.header("X-Seen-Expect") == "")
    }

    @Test func otherMethodsAndEmptyBodies() throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let client = HTTPClient()
        let put = try client.send(HTTPClientRequest(method: "PUT", url: server.base + "/echo", body: Array("abc".utf8)))
        #expect(put.text == "PUT 3")
        let empty = try client.send(HTTPClientRequest(method: "POST", url: server.base + "/echo"))
        #expect(empty.status == 200 && empty.body.isEmpty)
    }

    @Test func errorStatusesAreAnswersWithTheirHeaders() throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let response = try HTTPClient().send(HTTPClientRequest(url: server.base + "/throttled"))
        #expect(response.status == 429)
        #expect(response.header("Retry-After") == "7")
        #expect(response.text == "slow down")
    }

    @Test func aSlowServerIsATimeout() throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        #expect(throws: HTTPClientError.timedOut) {
            try HTTPClient().send(HTTPClientRequest(url: server.base + "/slow", timeout: 0.3))
        }
    }

    @Test func aClosedPortIsAConnectionFailure() throws {
        // Bind and close to find a port nobody listens on.
        let server = try LoopbackServer()
        let url = server.base + "/echo"
        server.stop()
        do {
            _ = try HTTPClient().send(HTTPClientRequest(method: "POST", url: url))
            Issue.record("expected a connection failure")
        } catch {
            guard case .connectionFailed = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func headerInjectionAndBadURLsAreRefused() {
        #expect(throws: HTTPClientError.self) {
            try HTTPClient().send(HTTPClientRequest(url: "http://127.0.0.1:1/", headers: [("X-A", "1\r\nX-B: 2")]))
        }
        #expect(throws: HTTPClientError.self) {
            try HTTPClient().send(HTTPClientRequest(url: "ftp://127.0.0.1/"))
        }
    }

    @Test func handlesAreReusedAcrossThreads() throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let client = HTTPClient()
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            let body = Array("message \(index)".utf8)
            let response = try? client.send(HTTPClientRequest(method: "POST", url: server.base + "/echo", body: body))
            #expect(response?.body == body)
        }
    }
}

@Suite struct RetryAfterTests {
    @Test func secondsAndDates() {
        let now = Date(timeIntervalSince1970: 1_784_000_000)
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds(" 0 ", now: now) == 0)
        #expect(RetryAfter.seconds(nil, now: now) == nil)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
        #expect(RetryAfter.seconds("-5", now: now) == nil)
        // 1_784_000_030 is Tue, 14 Jul 2026 03:33:50 GMT.
        #expect(RetryAfter.seconds("Tue, 14 Jul 2026 03:33:50 GMT", now: now) == 30)
        #expect(RetryAfter.seconds("Tue, 14 Jul 2026 03:33:00 GMT", now: now) == 0)
    }
}
