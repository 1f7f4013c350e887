import Foundation
import Testing

/// Each framing or syntax violation is answered with a problem document and the connection closed.
@Suite struct ServerProtocolErrorTests {
    static let cases: [(name: String, request: String, status: Int)] = [
        ("Content-Length with Transfer-Encoding", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400),
        ("duplicate differing Content-Length", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
        ("duplicate equal Content-Length", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400),
        ("malformed Content-Length", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1e3\r\n\r\n", 400),
        ("obs-fold", "GET /hello HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n\tcontinued\r\n\r\n", 400),
        ("bare CR", "GET /hello HTTP/1.1\r\nHost: a\rX-A: 1\r\n\r\n", 400),
        ("bare LF", "GET /hello HTTP/1.1\nHost: a\n\n", 400),
        ("non-hex chunk size", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400),
        ("overflowing chunk size", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", 400),
        ("chunk without CRLF", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcde\r\n", 400),
        ("non-ASCII request line", "GET /\u{00fc}ber HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("control character in request line", "GET /a\u{7}b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("whitespace before colon", "GET /hello HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        ("missing Host", "GET /hello HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),
        ("target over 8 KiB", "GET /" + String(repeating: "t", count: 8192) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414),
        ("header section over 16 KiB", "GET /hello HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X-Filler: " + String(repeating: "f", count: 90) + "\r\n", count: 90) + "X-Last: " + String(repeating: "f", count: 8000) + "\r\n\r\n", 431),
        ("over 100 header fields", "GET /hello HTTP/1.1\r\nHost: a\r\n" + (1...100).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
        ("Content-Length over the route limit", "POST /small-limit HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n" + String(repeating: "x", count: 17), 413),
        ("chunked body over the route limit", "POST /small-limit HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n1\r\nX\r\n0\r\n\r\n", 413),
        ("unsupported transfer coding", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("unknown method", "PURGE /hello HTTP/1.1\r\nHost: a\r\n\r\n", 501),
        ("HTTP/2.0 request line", "GET /hello HTTP/2.0\r\nHost: a\r\n\r\n", 505),
    ]

    @Test(arguments: cases)
    func answersWithProblemAndCloses(_ name: String, _ request: String, _ status: Int) throws {
        let server = try TestServer()
        let client = try TestClient(port: server.port)
        try client.send(request)
        let response = try client.readResponse()
        #expect(response.status == status, "\(name)")
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.header("Connection") == "close")
        let problem = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(problem?["status"] as? Int == status)
        #expect(try client.isClosedByPeer(), "\(name): connection closed")
    }

    @Test func chunkedWithinLimitIsAccepted() throws {
        let server = try TestServer()
        let response = try TestClient(port: server.port).request("POST /small-limit HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n")
        #expect(response.status == 200)
        #expect(response.text == "0123456789abcdef")
    }
}
