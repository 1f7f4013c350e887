import Dispatch
import Synchronization

/// Reader connections lent to one thread at a time; `withConnection` waits only while all are lent.
final class ReaderPool: Sendable {
    /// One pooled connection. `@unchecked Sendable`: the connection is used only by the thread that
    /// took the slot's index out of `State.free` under the pool's mutex, until it puts it back.
    /// (A `Mutex<Connection>` per slot cannot lend the connection to a caller's non-Sendable closure.)
    private final class Slot: @unchecked Sendable {
        let connection: Connection
        init(_ connection: Connection) {
            self.connection = connection
        }
    }

    private struct State {
        var free: [Int]
        /// Threads inside a read, to refuse a nested read that could wait for itself.
        var holders: Set<UInt> = []
        var isClosed = false
    }

    private let slots: [Slot]
    /// Counts free slots; `close` takes them all to wait for reads in progress.
    private let available: DispatchSemaphore
    private let state: Mutex<State>

    init(path: String, count: Int) throws {
        var slots: [Slot] = []
        for _ in 0..<max(1, count) {
            slots.append(Slot(try Connection(path: path, role: .reader)))
        }
        self.slots = slots
        self.available = DispatchSemaphore(value: slots.count)
        self.state = Mutex(State(free: Array(slots.indices)))
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
        return try body(slots[index].connection)
    }

    /// Refuses new reads, waits for reads in progress, and closes every connection.
    func close() {
        let (wasOpen, insideRead) = state.withLock { state in
            defer { state.isClosed = true }
            return (!state.isClosed, state.holders.contains(ThreadIdentity.current))
        }
        // From inside a read the slot in use would never come back: the connections then close
        // when the pool is deinitialized.
        guard wasOpen, !insideRead else { return }
        for _ in slots { available.wait() }
        for slot in slots { slot.connection.close() }
        for _ in slots { available.signal() }
    }
}
