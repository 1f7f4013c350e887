extension Collection<UInt8> {
    /// Calls `body` with the bytes in contiguous memory and a pointer that is never nil:
    /// some OpenSSL entry points treat a NULL input as "reuse the previous state" even when
    /// the length is 0, so an empty input must still come with a valid address.
    func withNonNullBytes<R>(_ body: (UnsafePointer<UInt8>, Int) throws -> R) rethrows -> R {
        if let result = try withContiguousStorageIfAvailable({ try Self.callNonNull($0, body) }) {
            return result
        }
        return try Array(self).withUnsafeBufferPointer { try Self.callNonNull($0, body) }
    }

    private static func callNonNull<R>(
        _ buffer: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>, Int) throws -> R
    ) rethrows -> R {
        if let base = buffer.baseAddress {
            return try body(base, buffer.count)
        }
        let zero: UInt8 = 0
        return try withUnsafePointer(to: zero) { try body($0, 0) }
    }
}
