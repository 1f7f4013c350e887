/// Writes a response head into a reused byte buffer: status line, the handler's fields (minus
/// those the server owns), then `Date`, `Server`, framing and `Connection`. One per event loop.
struct ResponseHeadEncoder {
    enum Framing {
        /// No framing field: 1xx, 204, 304.
        case none
        case length(Int)
        case chunked
        /// An HTTP/1.0 stream: the body ends when the connection closes.
        case untilClose
    }

    enum ConnectionField {
        case none
        case close
        case keepAlive
    }

    private var dateCache = HTTPDateCache()
    private let serverName: [UInt8]

    init(serverName: String) {
        self.serverName = Array(serverName.utf8)
    }

    mutating func encode(into out: inout [UInt8], status: HTTPStatus, headers: HTTPHeaders, framing: Framing, connection: ConnectionField) {
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        Self.appendDecimal(status.code, to: &out)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: status.reasonPhrase.utf8)
        out.append(contentsOf: [13, 10])
        for field in headers where !Self.isServerOwned(field.name) {
            // A CR or LF in a handler's value would split the response; drop the field instead.
            guard !field.value.utf8.contains(where: { $0 == 13 || $0 == 10 }), !field.name.utf8.contains(where: { $0 == 13 || $0 == 10 }) else { continue }
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: [13, 10])
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: dateCache.current())
        out.append(contentsOf: "\r\nServer: ".utf8)
        out.append(contentsOf: serverName)
        out.append(contentsOf: [13, 10])
        switch framing {
        case .none, .untilClose:
            break
        case .length(let length):
            out.append(contentsOf: "Content-Length: ".utf8)
            Self.appendDecimal(length, to: &out)
            out.append(contentsOf: [13, 10])
        case .chunked:
            out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        }
        switch connection {
        case .none: break
        case .close: out.append(contentsOf: "Connection: close\r\n".utf8)
        case .keepAlive: out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: [13, 10])
    }

    static func isServerOwned(_ name: String) -> Bool {
        let count = name.utf8.count
        guard count == 4 || count == 6 || count == 10 || count == 14 || count == 17 else { return false }
        return HTTPHeaders.same(name, "Date") || HTTPHeaders.same(name, "Server") || HTTPHeaders.same(name, "Connection")
            || HTTPHeaders.same(name, "Content-Length") || HTTPHeaders.same(name, "Transfer-Encoding")
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var remaining = value, count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while remaining > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }
}
