import CShims
#if canImport(Glibc)
import Glibc
#endif

/// Opens non-blocking listening sockets. Each event loop gets its own socket on the same
/// address with SO_REUSEPORT, so the kernel spreads new connections evenly over the loops.
enum ListeningSocket {
    /// Binds a socket without SO_REUSEPORT, then closes it: fails when anything (even another
    /// SO_REUSEPORT listener of this user, which would otherwise silently share our traffic)
    /// holds the address. Returns the port, so port 0 yields a free, unshared one.
    static func reserve(host: String, port: Int) throws(HTTPServerError) -> Int {
        let (fd, bound) = try open(host: host, port: port, reusePort: false, backlog: nil)
        close(fd)
        return bound
    }

    /// `backlog` nil: bind only.
    static func open(host: String, port: Int, reusePort: Bool = true, backlog: Int32? = 1024) throws(HTTPServerError) -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw .cannotResolve(host: host, detail: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(results) }

        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket(operation: "socket", errno: errno) }
        do throws(HTTPServerError) {
            guard wk_set_reuseaddr(fd) == 0 else { throw .socket(operation: "SO_REUSEADDR", errno: errno) }
            var one: Int32 = 1
            if reusePort, setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                throw .socket(operation: "SO_REUSEPORT", errno: errno)
            }
            guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
                if errno == EADDRINUSE { throw .addressInUse(host: host, port: port) }
                throw .socket(operation: "bind", errno: errno)
            }
            if let backlog, listen(fd, backlog) != 0 {
                if errno == EADDRINUSE { throw .addressInUse(host: host, port: port) }
                throw .socket(operation: "listen", errno: errno)
            }
            guard wk_set_nonblocking(fd) == 0 else { throw .socket(operation: "O_NONBLOCK", errno: errno) }
            return (fd, try boundPort(fd))
        } catch {
            close(fd)
            throw error
        }
    }

    private static func boundPort(_ fd: Int32) throws(HTTPServerError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw .socket(operation: "getsockname", errno: errno) }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    /// The peer of a connected socket as "ip:port" ("[ip]:port" for IPv6).
    static func peerAddress(_ fd: Int32) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard result == 0 else { return "" }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = storage.ss_family
        func addressText() -> String { String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return withUnsafePointer(to: &storage) { pointer -> String in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var ip = address.pointee.sin6_addr
                    inet_ntop(AF_INET6, &ip, &text, socklen_t(text.count))
                    return "[\(addressText())]:\(UInt16(bigEndian: address.pointee.sin6_port))"
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                var ip = address.pointee.sin_addr
                inet_ntop(AF_INET, &ip, &text, socklen_t(text.count))
                return "\(addressText()):\(UInt16(bigEndian: address.pointee.sin_port))"
            }
        }
    }
}
