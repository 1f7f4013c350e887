#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

// Small blocking HTTP/1.1 pieces for the paging benchmarks: a keep-alive client for set-up and
// for the paced delay runs, and a webhook listener that stamps the arrival of each request. Both
// are plain sockets, so what is measured is the servers, not a client library.

/// Seconds on the monotonic clock; every paging timestamp is taken with it, in this one process.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct HTTPReply {
    var status: Int
    var headers: [String: String]  // lower-cased names
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    var object: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }
}

/// Reads HTTP/1.1 messages (head, then a Content-Length or chunked body) from a socket.
struct MessageReader {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    private mutating func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 && errno == EINTR { return }
        guard n > 0 else { throw BenchError("connection closed") }
        buffer.append(contentsOf: chunk[0..<n])
    }

    private func find(_ needle: [UInt8], from: Int = 0) -> Int? {
        guard buffer.count >= needle.count + from else { return nil }
        var i = from
        while i <= buffer.count - needle.count {
            if buffer[i] == needle[0] && Array(buffer[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// The start line and the headers (names lower-cased).
    mutating func readHead() throws -> (String, [String: String]) {
        var end = find([13, 10, 13, 10])
        while end == nil { try fill(); end = find([13, 10, 13, 10]) }
        let head = String(decoding: buffer[0..<end!], as: UTF8.self)
        buffer.removeFirst(end! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let start = lines.removeFirst()
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (start, headers)
    }

    private mutating func take(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        let out = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return out
    }

    private mutating func line() throws -> String {
        var end = find([13, 10])
        while end == nil { try fill(); end = find([13, 10]) }
        let text = String(decoding: buffer[0..<end!], as: UTF8.self)
        buffer.removeFirst(end! + 2)
        return text
    }

    mutating func readBody(_ headers: [String: String], noBody: Bool = false) throws -> [UInt8] {
        if noBody { return [] }
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            var body: [UInt8] = []
            while true {
                let sizeLine = try line()
                let size = Int(sizeLine.split(separator: ";").first.map(String.init) ?? "", radix: 16) ?? 0
                if size == 0 {
                    while try !line().isEmpty {}
                    return body
                }
                body += try take(size)
                _ = try line()
            }
        }
        return try take(Int(headers["content-length"] ?? "0") ?? 0)
    }
}

func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { throw BenchError("send failed: errno \(errno)") }
        offset += n
    }
}

private func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// One keep-alive connection to 127.0.0.1:port; reconnects once when the server closed it.
final class HTTPConnection {
    let port: Int
    private var fd: Int32 = -1
    private var reader: MessageReader

    init(port: Int) throws {
        self.port = port
        reader = MessageReader(fd: -1)
        try connect()
    }

    deinit { if fd >= 0 { close(fd) } }

    private func connect() throws {
        if fd >= 0 { close(fd) }
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopbackAddress(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw BenchError("cannot connect to 127.0.0.1:\(port): errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        reader = MessageReader(fd: fd)
    }

    func request(_ method: String, _ path: String, json: Any? = nil, token: String? = nil, form: String? = nil) throws -> HTTPReply {
        var body: [UInt8] = []
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json))
            head += "Content-Type: application/json\r\n"
        } else if let form {
            body = Array(form.utf8)
            head += "Content-Type: application/x-www-form-urlencoded\r\n"
        }
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let bytes = Array(head.utf8) + body
        do {
            return try exchange(bytes, method: method)
        } catch {
            try connect()  // the server may have closed an idle keep-alive connection
            return try exchange(bytes, method: method)
        }
    }

    private func exchange(_ bytes: [UInt8], method: String) throws -> HTTPReply {
        try writeAll(fd, bytes)
        let (start, headers) = try reader.readHead()
        let parts = start.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw BenchError("bad status line: \(start)") }
        let body = try reader.readBody(headers, noBody: method == "HEAD" || status == 204 || status == 304)
        return HTTPReply(status: status, headers: headers, body: body)
    }
}

/// Accepts HTTP requests on 127.0.0.1 (ephemeral port), answers 200 to each, and hands every
/// request body to `onRequest` with the monotonic time its last byte arrived.
final class WebhookListener: Sendable {
    let port: Int
    private let fd: Int32
    private let stopped = Atomic<Bool>(false)
    private let onRequest: @Sendable (_ body: [UInt8], _ arrivedAt: Double) -> Void

    init(onRequest: @escaping @Sendable (_ body: [UInt8], _ arrivedAt: Double) -> Void) throws {
        self.onRequest = onRequest
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else { throw BenchError("webhook listener cannot bind: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let listenFD = fd
        Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                let client = accept(listenFD, nil, nil)
                guard client >= 0 else {
                    if errno == EINTR { continue }
                    return
                }
                var one: Int32 = 1
                setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                Thread { [self] in serve(client) }.start()
            }
        }.start()
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var reader = MessageReader(fd: client)
        let ok = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
        while !stopped.load(ordering: .relaxed) {
            guard let (_, headers) = try? reader.readHead(), let body = try? reader.readBody(headers) else { return }
            onRequest(body, monotonicSeconds())
            guard (try? writeAll(client, ok)) != nil else { return }
        }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}

/// p in 0...1, nearest rank.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = max(1, Int((p * Double(sorted.count)).rounded(.up)))
    return sorted[min(rank, sorted.count) - 1]
}

/// The path of an executable found on PATH (or the standard system folders).
func findExecutable(_ name: String) -> String? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/local/bin:/usr/bin:/usr/sbin:/bin"
    for folder in path.split(separator: ":") {
        let candidate = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// What one wrk run counted.
struct LoadResult {
    var requests: Int
    var non2xx: Int
    var socketErrors: Int
    var seconds: Double
    var ok: Int { requests - non2xx }
    var okPerSecond: Double { Double(ok) / seconds }
    var p50: String
    var p99: String
}

/// Runs `wrk -t2 -c64 -d<duration> --latency -s <script> <url> -- <args>` (the same client as the
/// HTTP figures of scripts/bench.sh) and reads its summary.
func runWrk(url: String, script: String, arguments: [String], connections: Int, duration: String) throws -> LoadResult {
    guard let wrk = findExecutable("wrk") else { throw BenchError("wrk is not installed (make bench-deps)") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: wrk)
    process.arguments = ["-t2", "-c\(connections)", "-d\(duration)", "--latency", "-s", script, url, "--"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchError("wrk failed:\n\(output)") }
    func match(_ pattern: String) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let m = regex.firstMatch(in: output, range: NSRange(output.startIndex..., in: output)) else { return nil }
        return (1..<m.numberOfRanges).map { String(output[Range(m.range(at: $0), in: output)!]) }
    }
    guard let total = match(#"(\d+) requests in ([\d.]+)(ms|s|m)"#) else { throw BenchError("cannot read wrk's output:\n\(output)") }
    let units: [String: Double] = ["ms": 0.001, "s": 1, "m": 60]
    let unit = units[total[2]] ?? 1
    let errors = match(#"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"#)?.compactMap { Int($0) }.reduce(0, +) ?? 0
    return LoadResult(requests: Int(total[0])!, non2xx: Int(match(#"Non-2xx or 3xx responses: (\d+)"#)?[0] ?? "0")!,
                      socketErrors: errors, seconds: Double(total[1])! * unit,
                      p50: match(#"\n\s+50%\s+(\S+)"#)?[0] ?? "?", p99: match(#"\n\s+99%\s+(\S+)"#)?[0] ?? "?")
}

/// Writes `text` to a new file in `directory`; returns its path.
func writeFile(_ directory: String, _ name: String, _ text: String) throws -> String {
    let path = directory + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
