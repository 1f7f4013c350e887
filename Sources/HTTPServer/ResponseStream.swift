import Dispatch
import Synchronization

/// The hand-off between a streamed response's producer (a worker thread) and the event loop
/// that sends it. The producer appends framed chunks and blocks while more than `highWater`
/// bytes wait; the loop takes them when the socket has room, which wakes the producer.
final class ResponseStream: Sendable {
    struct Taken {
        var chunks: [[UInt8]]
        /// Body bytes in `chunks`, without the chunked framing.
        var payloadBytes: Int
        var finished: Bool
        var aborted: Bool
    }

    private struct State {
        var chunks: [[UInt8]] = []
        var buffered = 0
        var payloadBytes = 0
        /// A `streamReady` message is on its way to the loop; no need to send another.
        var notified = false
        var producerWaiting = false
        var finished = false
        var aborted = false
        var clientGone = false
    }

    struct ClientGone: Error, CustomStringConvertible {
        var description: String { "The client closed the connection during a streamed response." }
    }

    static let highWater = 64 * 1024

    let chunked: Bool
    private let state = Mutex(State())
    private let resume = DispatchSemaphore(value: 0)
    private let loop: EventLoop
    private let key: ConnectionKey

    init(chunked: Bool, loop: EventLoop, key: ConnectionKey) {
        self.chunked = chunked
        self.loop = loop
        self.key = key
    }

    /// Producer side: queues one chunk (already framed) and blocks while too much is queued.
    func append(_ framed: [UInt8], payloadBytes: Int) throws {
        let (notify, wait) = try state.withLock { state throws -> (Bool, Bool) in
            if state.clientGone { throw ClientGone() }
            state.chunks.append(framed)
            state.buffered += framed.count
            state.payloadBytes += payloadBytes
            let notify = !state.notified
            state.notified = true
            let wait = state.buffered > Self.highWater
            if wait { state.producerWaiting = true }
            return (notify, wait)
        }
        if notify { loop.post(.streamReady(key)) }
        if wait {
            resume.wait()
            if state.withLock({ $0.clientGone }) { throw ClientGone() }
        }
    }

    /// Producer side: the body is complete (`aborted`: the producer failed part-way).
    func finish(aborted: Bool) {
        let notify = state.withLock { state -> Bool in
            if aborted {
                state.aborted = true
            } else {
                if chunked { state.chunks.append(Array("0\r\n\r\n".utf8)) }
                state.finished = true
            }
            let notify = !state.notified
            state.notified = true
            return notify
        }
        if notify { loop.post(.streamReady(key)) }
    }

    /// Loop side: takes everything queued and lets a blocked producer continue.
    func take() -> Taken {
        let (taken, wake) = state.withLock { state -> (Taken, Bool) in
            let taken = Taken(chunks: state.chunks, payloadBytes: state.payloadBytes, finished: state.finished, aborted: state.aborted)
            state.chunks = []
            state.payloadBytes = 0
            state.buffered = 0
            state.notified = false
            let wake = state.producerWaiting
            state.producerWaiting = false
            return (taken, wake)
        }
        if wake { resume.signal() }
        return taken
    }

    /// Loop side: the connection is gone; the producer's next `write` throws.
    func cancel() {
        let wake = state.withLock { state -> Bool in
            state.clientGone = true
            state.chunks = []
            let wake = state.producerWaiting
            state.producerWaiting = false
            return wake
        }
        if wake { resume.signal() }
    }
}
