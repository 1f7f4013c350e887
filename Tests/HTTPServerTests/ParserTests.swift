@testable import HTTPServer
import Testing

/// What a parser run produced, comparable between feeding styles.
private struct ParseTrace: Equatable {
    var heads: [String] = []
    var bodies: [[UInt8]] = []
    var errors: [Int] = []
}

/// Feeds `input` in slices of `step` bytes (0 = all at once), collecting heads, bodies, errors.
private func trace(_ input: String, step: Int = 0, bodyLimit: Int = 1 << 20, limits: HTTPRequestParser.Limits = .init()) -> ParseTrace {
    let bytes = Array(input.utf8)
    var parser = HTTPRequestParser(limits: limits)
    var result = ParseTrace()
    var body: [UInt8] = []
    var start = 0
    outer: while start < bytes.count {
        let end = step == 0 ? bytes.count : min(bytes.count, start + step)
        let slice = Array(bytes[start..<end])
        start = end
        var offset = 0
        while true {
            let event = slice.withUnsafeBytes { parser.parse($0, offset: &offset) }
            switch event {
            case .needMore:
                continue outer
            case .head(let head):
                let fields = head.head.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
                result.heads.append("\(head.head.method) \(head.head.target) 1.\(head.head.minorVersion) \(head.framing) keepAlive=\(head.keepAlive) continue=\(head.expectContinue) [\(fields)]")
                if let error = parser.beginBody(limit: bodyLimit) {
                    result.errors.append(error.status.code)
                    break outer
                }
            case .body(let range):
                body += slice[range]
            case .end:
                result.bodies.append(body)
                body = []
            case .error(let error):
                result.errors.append(error.status.code)
                break outer
            }
        }
    }
    return result
}

@Suite struct ParserTests {
    @Test func parsesASimpleGet() {
        let result = trace("GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: example\r\nX-Thing:  spaced value \t\r\n\r\n")
        #expect(result.errors == [])
        #expect(result.heads == ["GET /a/b?x=1&y=2 1.1 none keepAlive=true continue=false [Host=example,X-Thing=spaced value]"])
        #expect(result.bodies == [[]])
    }

    @Test func headFieldsAndPath() {
        let bytes = Array("POST /p?q=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc".utf8)
        var parser = HTTPRequestParser()
        var offset = 0
        guard case .head(let head) = bytes.withUnsafeBytes({ parser.parse($0, offset: &offset) }) else {
            Issue.record("no head")
            return
        }
        #expect(head.head.method == .post)
        #expect(head.head.path == "/p")
        #expect(head.head.query == "q=1")
        #expect(head.framing == .length(3))
        #expect(head.head.headers["content-length"] == "3")
    }

    static let wellFormed = [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world",
        "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6 ; x\r\n world\r\n0\r\nTrailer-A: 1\r\nTrailer-B: 2\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n",
        "\r\nGET /leading-empty-line HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /old HTTP/1.0\r\n\r\n",
        "GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "PUT /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
    ]

    @Test(arguments: wellFormed)
    func byteByByteMatchesOneChunk(_ input: String) {
        let whole = trace(input)
        #expect(whole.errors == [])
        #expect(!whole.heads.isEmpty)
        for step in [1, 2, 3, 7] {
            #expect(trace(input, step: step) == whole, "step \(step)")
        }
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() {
        let result = trace(Self.wellFormed[2])
        #expect(result.bodies == [Array("hello world".utf8), []])
        #expect(result.heads.count == 2)
    }

    @Test func connectionSemantics() {
        #expect(trace("GET /old HTTP/1.0\r\n\r\n").heads.first?.contains("keepAlive=false") == true)
        #expect(trace("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").heads.first?.contains("keepAlive=true") == true)
        #expect(trace("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").heads.first?.contains("keepAlive=false") == true)
        #expect(trace(Self.wellFormed[7]).heads.first?.contains("continue=true") == true)
    }

    static let malformed: [(String, Int)] = [
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3x\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -3\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n  folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\rHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", 400),
        ("GET / HTTP/1.1\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\n\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n", 400),
        ("GET /caf\u{e9} HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET /a\u{1}b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7f}b\r\n\r\n", 400),
        ("GET /" + String(repeating: "a", count: 8200) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414),
        ("GET /" + String(repeating: "a", count: 9000), 414),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "b", count: 17000) + "\r\n\r\n", 431),
        ("GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X-F: 1\r\n", count: 101) + "\r\n", 431),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400),
        ("BREW / HTTP/1.1\r\nHost: a\r\n\r\n", 501),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        ("GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505),
        ("GET / HTTX/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nExpect: something-else\r\n\r\n", 417),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedInput(_ input: String, _ status: Int) {
        #expect(trace(input).errors == [status])
        #expect(trace(input, step: 1).errors == [status], "byte by byte")
    }

    @Test func bodyLimits() {
        let declared = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n" + String(repeating: "x", count: 17)
        #expect(trace(declared, bodyLimit: 16).errors == [413])
        #expect(trace(declared, bodyLimit: 17).errors == [])
        let chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n9\r\n123456789\r\n0\r\n\r\n"
        #expect(trace(chunked, bodyLimit: 16).errors == [413])
        #expect(trace(chunked, step: 1, bodyLimit: 16).errors == [413])
        #expect(trace(chunked, bodyLimit: 17).errors == [])
    }

    @Test func customLimits() {
        let limits = HTTPRequestParser.Limits(maxTargetLength: 10, maxHeaderBytes: 40, maxHeaderCount: 2)
        #expect(trace("GET /0123456789 HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits).errors == [414])
        #expect(trace("GET /012345678 HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits).errors == [])
        #expect(trace("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits).errors == [431])
        #expect(trace("GET / HTTP/1.1\r\nHost: a\r\nA: " + String(repeating: "z", count: 40) + "\r\n\r\n", limits: limits).errors == [431])
    }

    @Test func errorIsSticky() {
        var parser = HTTPRequestParser()
        let bytes = Array("GET / HTTP/3.0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        var offset = 0
        for _ in 0..<2 {
            guard case .error(let error) = bytes.withUnsafeBytes({ parser.parse($0, offset: &offset) }) else {
                Issue.record("expected an error")
                return
            }
            #expect(error.status == .httpVersionNotSupported)
        }
    }
}
