import Foundation

/// The stored connections (`ConnectionStore`) as the sync and poll steps see them.
struct SentinelSyncConnectionStore: SentinelSyncConnections {
    let store: ConnectionStore

    func connectionIds() throws -> [String] { try store.connectionIds() }

    /// Nil when the connection was deleted; a connection whose secret cannot be opened throws
    /// (its writes wait, its poll records the error).
    func transport(forConnection id: String) throws -> (any SentinelSyncTransport)? {
        guard try store.connectionIds().contains(id) else { return nil }
        return SentinelSyncClientTransport(client: try store.client(for: id))
    }
}
