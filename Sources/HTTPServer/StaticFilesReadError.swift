#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that was found and opened could not be read (EIO, say): a 500, not a 404.
struct StaticFilesReadError: Error, CustomStringConvertible {
    let errno: Int32
    var description: String { "reading a static file failed: \(String(cString: strerror(errno)))" }
}
