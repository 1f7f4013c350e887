/// Parses one complete request head (request line, header fields, final empty line) scanning
/// bytes, and applies RFC 9112's framing rules. Used by `HTTPRequestParser`.
struct RequestHeadParser {
    typealias ParseError = HTTPRequestParser.ParseError

    let limits: HTTPRequestParser.Limits

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    func parse(_ bytes: UnsafeRawBufferPointer) -> Result<HTTPRequestParser.Head, ParseError> {
        do {
            return .success(try parseHead(bytes))
        } catch {
            return .failure(error)
        }
    }

    private func parseHead(_ bytes: UnsafeRawBufferPointer) throws(ParseError) -> HTTPRequestParser.Head {
        var lineStart = 0
        guard let firstEnd = try nextLine(bytes, from: lineStart) else { throw bad("Incomplete request line.") }
        let (method, target, minor) = try parseRequestLine(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<firstEnd]))
        lineStart = firstEnd + 2
        if bytes.count - lineStart > limits.maxHeaderBytes + 2 {
            throw ParseError(status: .requestHeaderFieldsTooLarge, detail: "The header section is over \(limits.maxHeaderBytes) bytes.")
        }

        var headers = HTTPHeaders()
        var contentLength: Int?
        var transferEncodings: [String] = []
        var hostCount = 0
        var connectionClose = false
        var connectionKeepAlive = false
        var expectContinue = false
        var count = 0

        while let end = try nextLine(bytes, from: lineStart) {
            defer { lineStart = end + 2 }
            if end == lineStart { break }
            let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<end])
            count += 1
            if count > limits.maxHeaderCount {
                throw ParseError(status: .requestHeaderFieldsTooLarge, detail: "More than \(limits.maxHeaderCount) header fields.")
            }
            if line[0] == Self.space || line[0] == Self.tab {
                throw bad("Obsolete line folding is not accepted.")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw bad("A header field has no colon.") }
            guard colon > 0 else { throw bad("A header field has an empty name.") }
            for index in 0..<colon where !Self.isTokenByte(line[index]) {
                throw bad("Invalid header field name (whitespace before the colon or a character outside a token).")
            }
            var valueStart = colon + 1, valueEnd = line.count
            while valueStart < valueEnd, line[valueStart] == Self.space || line[valueStart] == Self.tab { valueStart += 1 }
            while valueEnd > valueStart, line[valueEnd - 1] == Self.space || line[valueEnd - 1] == Self.tab { valueEnd -= 1 }
            for index in valueStart..<valueEnd {
                let byte = line[index]
                if (byte < 0x20 && byte != Self.tab) || byte == 0x7F {
                    throw bad("A header field value contains a control character.")
                }
            }
            let name = UnsafeRawBufferPointer(rebasing: line[0..<colon])
            let value = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
            let valueString = String(decoding: value, as: UTF8.self)

            if Self.equalsLowercased(name, "content-length") {
                guard contentLength == nil else { throw bad("More than one Content-Length field.") }
                contentLength = try Self.parseContentLength(value)
            } else if Self.equalsLowercased(name, "transfer-encoding") {
                transferEncodings.append(valueString)
            } else if Self.equalsLowercased(name, "host") {
                hostCount += 1
            } else if Self.equalsLowercased(name, "connection") {
                for token in valueString.split(separator: ",") {
                    let option = token.trimmingOWS().lowercased()
                    if option == "close" { connectionClose = true }
                    if option == "keep-alive" { connectionKeepAlive = true }
                }
            } else if Self.equalsLowercased(name, "expect"), minor == 1 {
                guard valueString.lowercased() == "100-continue" else {
                    throw ParseError(status: .expectationFailed, detail: "Only the 100-continue expectation is supported.")
                }
                expectContinue = true
            }
            headers.add(String(decoding: name, as: UTF8.self), valueString)
        }

        if minor == 1 && hostCount == 0 { throw bad("An HTTP/1.1 request must have a Host field.") }
        if hostCount > 1 { throw bad("More than one Host field.") }

        var framing = HTTPRequestParser.Framing.none
        if !transferEncodings.isEmpty {
            if contentLength != nil { throw bad("Content-Length and Transfer-Encoding together.") }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map { $0.trimmingOWS().lowercased() }
            if let other = codings.first(where: { $0 != "chunked" }) {
                throw ParseError(status: .notImplemented, detail: "The transfer coding \"\(other)\" is not implemented.")
            }
            guard codings.count == 1 else { throw bad("Chunked applied more than once.") }
            framing = .chunked
        } else if let contentLength {
            framing = .length(contentLength)
        }

        let keepAlive = !connectionClose && (minor == 1 || connectionKeepAlive)
        let head = HTTPRequestHead(method: method, target: target, minorVersion: minor, headers: headers)
        return HTTPRequestParser.Head(head: head, framing: framing, keepAlive: keepAlive, expectContinue: expectContinue && framing != .none && framing != .length(0))
    }

    /// The index of the CR ending the line that starts at `from`, or nil at the end of input.
    /// Any LF not preceded by CR, or CR not followed by LF, is an error (RFC 9112 §2.2).
    private func nextLine(_ bytes: UnsafeRawBufferPointer, from: Int) throws(ParseError) -> Int? {
        var index = from
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.cr {
                guard index + 1 < bytes.count, bytes[index + 1] == Self.lf else { throw bad("Bare CR in the request head.") }
                return index
            }
            if byte == Self.lf { throw bad("Bare LF in the request head.") }
            index += 1
        }
        return nil
    }

    private func parseRequestLine(_ line: UnsafeRawBufferPointer) throws(ParseError) -> (HTTPMethod, String, Int) {
        var first = -1, second = -1
        for index in 0..<line.count {
            let byte = line[index]
            if byte == Self.space {
                if first < 0 { first = index } else if second < 0 { second = index } else { throw bad("Malformed request line.") }
            } else if byte < 0x21 || byte > 0x7E {
                throw bad("The request line contains a control or non-ASCII character.")
            }
        }
        guard second > 0 else { throw bad("Malformed request line.") }
        let methodBytes = UnsafeRawBufferPointer(rebasing: line[0..<first])
        let targetBytes = UnsafeRawBufferPointer(rebasing: line[(first + 1)..<second])
        let versionBytes = UnsafeRawBufferPointer(rebasing: line[(second + 1)...])
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(Self.isTokenByte) else { throw bad("Malformed method.") }
        guard !targetBytes.isEmpty else { throw bad("Empty request target.") }
        if targetBytes.count > limits.maxTargetLength {
            throw ParseError(status: .uriTooLong, detail: "The request target is over \(limits.maxTargetLength) bytes.")
        }

        let digit0 = UInt8(ascii: "0"), digit9 = UInt8(ascii: "9")
        guard versionBytes.count == 8, versionBytes.starts(with: "HTTP/".utf8), versionBytes[6] == UInt8(ascii: "."),
              (digit0...digit9).contains(versionBytes[5]), (digit0...digit9).contains(versionBytes[7]) else {
            throw bad("Malformed HTTP version.")
        }
        guard versionBytes[5] == UInt8(ascii: "1"), versionBytes[7] <= UInt8(ascii: "1") else {
            throw ParseError(status: .httpVersionNotSupported, detail: "Only HTTP/1.0 and HTTP/1.1 are supported.")
        }
        let minor = Int(versionBytes[7] - digit0)

        guard let method = Self.knownMethod(methodBytes) else {
            throw ParseError(status: .notImplemented, detail: "The method \(String(decoding: methodBytes, as: UTF8.self)) is not implemented.")
        }
        let target = String(decoding: targetBytes, as: UTF8.self)
        guard targetBytes[0] == UInt8(ascii: "/") || (target == "*" && method == .options) else {
            throw bad("The request target must be an absolute path.")
        }
        return (method, target, minor)
    }

    /// Matches the implemented methods without allocating a String per request.
    private static func knownMethod(_ bytes: UnsafeRawBufferPointer) -> HTTPMethod? {
        for method in knownMethods where bytes.elementsEqual(method.rawValue.utf8) {
            return method
        }
        return nil
    }

    private static let knownMethods: [HTTPMethod] = [.get, .post, .head, .put, .patch, .delete, .options]
        .filter { HTTPMethod.implemented.contains($0) }

    private static func parseContentLength(_ value: UnsafeRawBufferPointer) throws(ParseError) -> Int {
        guard !value.isEmpty else { throw ParseError(status: .badRequest, detail: "Empty Content-Length.") }
        var result = 0
        for byte in value {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw ParseError(status: .badRequest, detail: "Malformed Content-Length.")
            }
            let (times10, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw ParseError(status: .badRequest, detail: "Content-Length is too large.") }
            result = sum
        }
        return result
    }

    /// RFC 9110 §5.6.2 tchar.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Case-insensitive comparison of an ASCII name with a lower-case literal.
    static func equalsLowercased(_ bytes: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        guard bytes.count == lower.utf8CodeUnitCount else { return false }
        let literal = lower.utf8Start
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let folded = (byte >= 65 && byte <= 90) ? byte | 0x20 : byte
            if folded != literal[index] { return false }
        }
        return true
    }

    private func bad(_ detail: String) -> ParseError {
        ParseError(status: .badRequest, detail: detail)
    }
}
