import Foundation

/// The stored connections (`ConnectionStore`) as the sync and poll steps see them.
struct SentinelSyncConnectionStore: SentinelSyncConnections {
    let store: ConnectionStore

    func connectionIds() throws -> [String] { try store.list().map(\.id) }

    /// Nil when the connection was deleted; a connection whose secret cannot be opened throws
    /// (its writes wait, its poll records the error).
    func transport(forConnection id: String) throws -> (any SentinelSyncTransport)? {
        guard try store.list().contains(where: { $0.id == id }) else { return nil }
        return SentinelSyncClientTransport(client: try store.client(for: id))
    }
}
