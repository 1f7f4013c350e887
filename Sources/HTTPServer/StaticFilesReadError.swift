#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file-system call failed where a 404 would be a lie: the root cannot be opened at startup,
/// or a file that was found and opened cannot be read (EIO). The server answers 500.
struct StaticFilesReadError: Error, CustomStringConvertible {
    let errno: Int32
    var description: String { "static files: \(String(cString: strerror(errno)))" }
}
