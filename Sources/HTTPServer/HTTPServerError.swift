/// Why the server could not start.
public enum HTTPServerError: Error, Sendable, CustomStringConvertible, Equatable {
    case alreadyStarted
    case addressInUse(host: String, port: Int)
    case cannotResolve(host: String, detail: String)
    case socket(operation: String, errno: Int32)
    case tls(String)

    public var description: String {
        switch self {
        case .alreadyStarted:
            "The server was already started."
        case .addressInUse(let host, let port):
            "Cannot listen on \(host):\(port): the address is already in use."
        case .cannotResolve(let host, let detail):
            "Cannot resolve the listen address \(host): \(detail)."
        case .socket(let operation, let code):
            "Cannot listen: \(operation) failed (\(String(cString: strerror(code))))."
        case .tls(let detail):
            "TLS setup failed: \(detail)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
