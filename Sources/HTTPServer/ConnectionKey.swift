/// Names a connection across threads: its descriptor plus a per-loop id, so a message for a
/// closed connection never reaches a newer one that reuses the descriptor.
struct ConnectionKey: Hashable, Sendable {
    var fd: Int32
    var id: UInt32

    /// The epoll user data; id 0 is reserved for the listener and the wake-up eventfd.
    var epollData: UInt64 { UInt64(id) << 32 | UInt64(UInt32(bitPattern: fd)) }

    init(fd: Int32, id: UInt32) {
        self.fd = fd
        self.id = id
    }

    init(epollData: UInt64) {
        fd = Int32(bitPattern: UInt32(truncatingIfNeeded: epollData))
        id = UInt32(truncatingIfNeeded: epollData >> 32)
    }
}
