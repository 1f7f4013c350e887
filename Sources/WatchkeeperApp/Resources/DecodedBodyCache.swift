import Foundation
import HTTPServer
import Synchronization

/// Stored JSON bodies read on every event (a service for each ingest, a policy for each step)
/// decoded once: Foundation's JSONDecoder costs more than the rest of an ingest's work on the
/// single writer. Keyed by the body text itself, so an edited body is simply a new entry and
/// nothing needs invalidating; bounded, cleared when full.
final class DecodedBodyCache<Value: Decodable & Sendable>: Sendable {
    static var capacity: Int { 512 }

    private let entries = Mutex<[String: Value]>([:])

    func decode(_ body: String) throws -> Value {
        if let hit = entries.withLock({ $0[body] }) { return hit }
        let value = try JSON.decoder.decode(Value.self, from: Data(body.utf8))
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[body] = value
        }
        return value
    }
}
