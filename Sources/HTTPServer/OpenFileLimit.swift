#if canImport(Glibc)
import Glibc
#endif

/// Raises the soft limit on open files to the hard limit, as servers do at start-up: each client
/// connection is a descriptor, and many systems default the soft limit to 1,024.
public enum OpenFileLimit {
    /// Returns the soft limit now in force.
    @discardableResult
    public static func raiseToMaximum() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return -1 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }
}
