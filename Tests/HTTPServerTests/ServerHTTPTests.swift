import Foundation
@testable import HTTPServer
import Testing

@Suite struct ServerHTTPTests {
    @Test func simpleGet() throws {
        let server = try TestServer()
        let response = try TestClient.get("/hello", port: server.port)
        #expect(response.status == 200)
        #expect(response.text == "hello")
        #expect(response.header("Content-Length") == "5")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
    }

    @Test func dateAndServerHeaders() throws {
        let server = try TestServer { $0.serverName = "wk-test" }
        let response = try TestClient.get("/hello", port: server.port)
        #expect(response.header("Server") == "wk-test")
        let date = try #require(response.header("Date"))
        #expect(date.wholeMatch(of: /(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT/) != nil)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let parsed = try #require(formatter.date(from: date))
        #expect(abs(parsed.timeIntervalSinceNow) < 5)
    }

    @Test func keepAliveReusesTheConnection() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        for _ in 0..<3 {
            let response = try client.request("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(response.status == 200)
            #expect(response.header("Connection") == nil)
        }
        let echo = try client.request("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nping")
        #expect(echo.text == "ping")
        #expect(server.server.openConnections == 1)
    }

    @Test func pipelinedRequestsAnswerInOrder() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        try client.send(
            "GET /slow?ms=200 HTTP/1.1\r\nHost: a\r\n\r\n" +
            "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n" +
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nthird")
        #expect(try client.readResponse().text == "slow")
        #expect(try client.readResponse().text == "hello")
        #expect(try client.readResponse().text == "third")
    }

    @Test func headHasGetHeadersWithoutBody() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        let head = try client.request("HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n", head: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "5")
        #expect(head.header("Content-Type") == "text/plain; charset=utf-8")
        // Had a body been sent, it would be read here as the next status line.
        let next = try client.request("GET /method HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(next.text == "GET")
        let method = try client.request("HEAD /method HTTP/1.1\r\nHost: a\r\n\r\n", head: true)
        #expect(method.header("Content-Length") == "4")
    }

    @Test func contentLengthBody() throws {
        let server = try TestServer()
        let payload = String(repeating: "0123456789", count: 20_000)
        let response = try TestClient(port: server.port).request("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \(payload.utf8.count)\r\n\r\n\(payload)")
        #expect(response.status == 200)
        #expect(response.text == payload)
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
        try client.send("5;ext=1\r\nhello\r\n")
        try client.send("7 ; another\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.text == "hello, world")
        #expect(try client.request("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").status == 200)
    }

    @Test func expectContinueThenBody() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        let interim = try client.readResponse()
        #expect(interim.status == 100)
        try client.send("data")
        let final = try client.readResponse()
        #expect(final.status == 200)
        #expect(final.text == "data")
    }

    @Test func expectContinueTooLargeGets413Directly() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        try client.send("POST /small-limit HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\nExpect: 100-continue\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.header("Connection") == "close")
        #expect(try client.isClosedByPeer())
    }

    @Test func connectionCloseFromClient() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        let response = try client.request("GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(try client.isClosedByPeer())
    }

    @Test func connectionCloseFromHandler() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        let response = try client.request("GET /close HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(response.text == "bye")
        #expect(response.header("Connection") == "close")
        #expect(try client.isClosedByPeer())
    }

    @Test func http10ClosesUnlessKeepAlive() throws {
        let server = try TestServer()
        let plain = try TestClient(port: server.port)
        #expect(try plain.request("GET /hello HTTP/1.0\r\n\r\n").text == "hello")
        #expect(try plain.isClosedByPeer())

        let kept = try TestClient(port: server.port)
        let first = try kept.request("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(first.header("Connection") == "keep-alive")
        #expect(try kept.request("GET /hello HTTP/1.0\r\n\r\n").status == 200)
        #expect(try kept.isClosedByPeer())
    }

    @Test func streamedResponseIsChunked() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        let response = try client.request("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(response.header("Transfer-Encoding") == "chunked")
        #expect(response.header("Content-Length") == nil)
        #expect(response.text == "part0\npart1\npart2\n")
        #expect(String(decoding: response.rawBody, as: UTF8.self) == "6\r\npart0\n\r\n6\r\npart1\n\r\n6\r\npart2\n\r\n0\r\n\r\n")
        // The connection stays usable after the terminal chunk.
        #expect(try client.request("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").text == "hello")
    }

    @Test func largeStreamWithBackpressure() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        let response = try client.request("GET /big-stream HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(response.body.count == 64 * 16384)
        #expect(response.body[16384 * 63] == 63)
    }

    @Test func handlerErrors() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        let failed = try client.request("GET /fail HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(failed.status == 500)
        #expect(failed.header("Content-Type") == "application/problem+json")
        #expect(!failed.text.contains("TestHandlerError"))
        let conflict = try client.request("GET /conflict HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(conflict.status == 409)
        #expect(conflict.text.contains("Already there."))
        #expect(try client.request("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n").status == 404)
    }

    @Test func noContentHasNoBody() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        let response = try client.request("GET /no-content HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(response.status == 204)
        #expect(response.header("Content-Length") == nil)
        #expect(try client.request("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").text == "hello")
    }

    @Test func accessLogAndObserver() throws {
        let server = try TestServer()
        _ = try TestClient.get("/hello?secret=1", port: server.port)
        server.stop()
        #expect(server.logs.all.contains { $0.wholeMatch(of: /GET \/hello 200 5B \d+\.\d\dms/) != nil })
        let record = try #require(server.records.all.first)
        #expect(record.method == "GET")
        #expect(record.path == "/hello")
        #expect(record.routeName == "/hello")
        #expect(record.status == 200)
        #expect(record.bodyBytes == 5)
        #expect(record.remoteAddress.hasPrefix("127.0.0.1:"))
    }

    @Test func secretPathsAreLoggedAsTheirRoutePattern() throws {
        let server = try TestServer()
        _ = try TestClient.get("/secret/wk_abcdef123456", port: server.port)
        server.stop()
        #expect(server.logs.all.contains { $0.hasPrefix("GET /secret/:token 200") })
        #expect(!server.logs.all.contains { $0.contains("wk_abcdef123456") })
        #expect(server.records.all.first?.path == "/secret/:token")
    }

    /// Head and body leave in one write: with a split write, Nagle plus delayed ACK would stall
    /// each keep-alive response ~40 ms, so 50 requests would take over 2 s.
    @Test func fiftyKeepAliveRequestsAreFast() throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        let start = ContinuousClock.now
        for index in 0..<50 {
            let path = index.isMultiple(of: 2) ? "/hello" : "/echo"
            let response = try client.request("POST \(path) HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi")
            #expect(response.status == 200)
        }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func addressInUseIsAClearError() throws {
        let server = try TestServer()
        var configuration = ServerConfiguration()
        configuration.port = server.port
        let second = HTTPServer(configuration: configuration, responder: TestResponder(), logger: .init(label: "t"))
        #expect(throws: HTTPServerError.addressInUse(host: "127.0.0.1", port: server.port)) { try second.start() }
    }
}
