import Foundation
import Synchronization

/// Inbound SMS already answered by a reply SMS. `InboundEvents` gives a replayed message its
/// first answer again; without this, each replay (Vonage's retry, or a captured request within
/// the signature's freshness window) would send and bill another reply. Entries outlive that
/// window, after which a replay is refused as stale anyway.
final class VonageReplyLedger: Sendable {
    private let entries = Mutex<[String: Date]>([:])
    private let keep: TimeInterval

    init(keep: TimeInterval) {
        self.keep = keep
    }

    /// True the first time `messageId` is seen within `keep` of `now`; false for a replay.
    func claim(_ messageId: String, now: Date) -> Bool {
        entries.withLock { entries in
            entries = entries.filter { abs(now.timeIntervalSince($0.value)) <= keep }
            guard entries[messageId] == nil else { return false }
            entries[messageId] = now
            return true
        }
    }
}
