import CShims
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The thread-safe face of one event loop: other threads (workers, stream producers,
/// `shutdown()`) post messages to it; an eventfd wakes its `epoll_wait`. The loop's own state
/// lives in `EventLoopRunner`, confined to the loop thread.
final class EventLoop: Sendable {
    enum Message: Sendable {
        /// A worker's answer to the request in flight on that connection.
        case response(ConnectionKey, HTTPResponse)
        /// A streamed response has chunks (or its end) waiting.
        case streamReady(ConnectionKey)
        /// Stop accepting (signal `closed` once the listener is closed), then drain until
        /// `deadline` (monotonic nanoseconds).
        case beginShutdown(deadline: UInt64, closed: DispatchSemaphore)
    }

    let index: Int
    let wakeFD: Int32
    private let inbox = Mutex<[Message]>([])

    init(index: Int) throws(HTTPServerError) {
        self.index = index
        wakeFD = wk_eventfd()
        if wakeFD < 0 { throw .socket(operation: "eventfd", errno: errno) }
    }

    // Closed only here, when no worker can post any more: a descriptor number closed earlier
    // could be reused by another file and signalled by mistake.
    deinit { close(wakeFD) }

    func post(_ message: Message) {
        let wasEmpty = inbox.withLock { inbox -> Bool in
            inbox.append(message)
            return inbox.count == 1
        }
        if wasEmpty { _ = wk_eventfd_signal(wakeFD) }
    }

    /// Called by the loop after draining the eventfd.
    func takeMessages() -> [Message] {
        inbox.withLock { inbox in
            let messages = inbox
            inbox = []
            return messages
        }
    }
}
