import Dispatch
import Synchronization

/// Reader connections lent to one thread at a time; `withConnection` waits only while all are lent.
/// A connection is opened when its slot is first lent, so an idle server holds only the readers
/// its concurrency has needed (each open connection keeps its parsed schema and page cache).
final class ReaderPool: Sendable {
    /// One pooled connection, opened on first use. `@unchecked Sendable`: the slot is used only by
    /// the thread that took its index out of `State.free` under the pool's mutex, until it puts it
    /// back, and by `close` once it holds every slot. (A `Mutex<Connection>` per slot cannot lend the
    /// connection to a caller's non-Sendable closure.)
    private final class Slot: @unchecked Sendable {
        var connection: Connection?
    }

    private struct State {
        var free: [Int]
        /// Threads inside a read, to refuse a nested read that could wait for itself.
        var holders: Set<UInt> = []
        var isClosed = false
    }

    private let path: String
    private let slots: [Slot]
    /// Counts free slots; `close` takes them all to wait for reads in progress.
    private let available: DispatchSemaphore
    private let state: Mutex<State>

    /// Opens one connection at once, so a path that cannot be read fails here rather than on the
    /// first read; the others open when needed.
    init(path: String, count: Int) throws {
        self.path = path
        slots = (0..<max(1, count)).map { _ in Slot() }
        slots[0].connection = try Connection(path: path, role: .reader)
        available = DispatchSemaphore(value: slots.count)
        // The opened slot is lent first (`removeLast`).
        state = Mutex(State(free: Array(slots.indices.reversed())))
    }

    var count: Int { slots.count }

    func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let thread = ThreadIdentity.current
        try state.withLock { state in
            if state.holders.contains(thread) { throw DatabaseError.readInsideRead }
            if state.isClosed { throw DatabaseError.closed }
        }
        available.wait()
        let taken = state.withLock { state -> Int? in
            guard !state.isClosed else { return nil }
            state.holders.insert(thread)
            return state.free.removeLast()
        }
        guard let index = taken else {
            available.signal()
            throw DatabaseError.closed
        }
        defer {
            state.withLock { state in
                state.free.append(index)
                state.holders.remove(thread)
            }
            available.signal()
        }
        let slot = slots[index]
        if slot.connection == nil {
            slot.connection = try Connection(path: path, role: .reader)
        }
        return try body(slot.connection!)
    }

    /// Refuses new reads, waits for reads in progress, and closes every opened connection.
    func close() {
        let (wasOpen, insideRead) = state.withLock { state in
            defer { state.isClosed = true }
            return (!state.isClosed, state.holders.contains(ThreadIdentity.current))
        }
        // From inside a read the slot in use would never come back: the connections then close
        // when the pool is deinitialized.
        guard wasOpen, !insideRead else { return }
        for _ in slots { available.wait() }
        for slot in slots { slot.connection?.close() }
        for _ in slots { available.signal() }
    }
}
