#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor that closes itself when the last reference goes, so an early return,
/// a thrown error or a stream the server never runs cannot leak it.
final class StaticFilesDescriptor: Sendable {
    let fd: Int32

    init?(fd: Int32) {
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Opens `name` inside this directory, refusing symbolic links (O_NOFOLLOW) and never
    /// blocking on a FIFO (O_NONBLOCK, which does not affect regular files).
    func open(_ name: String) -> StaticFilesDescriptor? {
        StaticFilesDescriptor(fd: openat(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC))
    }

    func status() -> stat? {
        var info = stat()
        return fstat(fd, &info) == 0 ? info : nil
    }

    /// Reads up to `count` bytes at `offset`; fewer at end of file.
    func read(at offset: Int, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + filled, count - filled, off_t(offset + filled))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw StaticFilesReadError(errno: errno)
            }
            if result == 0 { break }
            filled += result
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}
