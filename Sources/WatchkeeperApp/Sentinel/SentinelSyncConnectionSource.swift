import Synchronization

/// The connections the sync and poll steps use, set once the connection store is available
/// (`provider`); with none, nothing is polled and no write finds its connection.
final class SentinelSyncConnectionSource: SentinelSyncConnections {
    private let current = Mutex<(any SentinelSyncConnections)?>(nil)

    var provider: (any SentinelSyncConnections)? {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    func connectionIds() throws -> [String] { try provider?.connectionIds() ?? [] }

    func transport(forConnection id: String) throws -> (any SentinelSyncTransport)? { try provider?.transport(forConnection: id) }
}
