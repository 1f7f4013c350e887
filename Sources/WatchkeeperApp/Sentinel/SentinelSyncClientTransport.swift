import Foundation
import Sentinel

/// The sync and poll steps' calls made through a connection's `SentinelClient` (ARM, with the
/// connection's tenant token), its errors sorted into `SentinelSyncOutcome`.
struct SentinelSyncClientTransport: SentinelSyncTransport {
    let client: SentinelClient
    var tenantId: String { client.credentials.tenantId }

    /// The incident's name (its last id segment) from its ARM id.
    static func name(of armId: String) -> String { String(armId.split(separator: "/").last ?? Substring(armId)) }

    static func incident(_ arm: ARMIncident) -> SentinelSyncIncident? {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(arm.raw)) else { return nil }
        return SentinelSyncIncident(resource: value)
    }

    static func outcome<T>(_ body: () throws(AzureError) -> T) -> SentinelSyncOutcome<T> {
        do { return .success(try body()) } catch {
            switch error {
            case .conflict: return .conflict
            case .throttled(let retryAfter, _, _): return .throttled(retryAfter: retryAfter ?? 60)
            case .temporary(let reason): return .temporary(reason)
            case .permanent: return .permanent(error.description)
            }
        }
    }

    static func converted(_ outcome: SentinelSyncOutcome<ARMIncident>) -> SentinelSyncOutcome<SentinelSyncIncident> {
        switch outcome {
        case .success(let arm): Self.incident(arm).map { .success($0) } ?? .permanent("ARM answered an incident without id, etag or properties")
        case .conflict: .conflict
        case .throttled(let seconds): .throttled(retryAfter: seconds)
        case .temporary(let reason): .temporary(reason)
        case .permanent(let reason): .permanent(reason)
        }
    }

    func getIncident(armId: String) -> SentinelSyncOutcome<SentinelSyncIncident> {
        Self.converted(Self.outcome { () throws(AzureError) in try client.getIncident(Self.name(of: armId)) })
    }

    func putIncident(armId: String, etag: String, properties: [String: JSONValue]) -> SentinelSyncOutcome<SentinelSyncIncident> {
        let body = JSONValue.object(["etag": .string(etag), "properties": .object(properties)])
        guard let data = try? JSONEncoder().encode(body), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return .permanent("the incident body cannot be encoded")
        }
        return Self.converted(Self.outcome { () throws(AzureError) in try client.putIncident(Self.name(of: armId), body: object) })
    }

    func putComment(incidentArmId: String, commentId: String, message: String) -> SentinelSyncOutcome<Void> {
        Self.outcome { () throws(AzureError) in _ = try client.putComment(incidentName: Self.name(of: incidentArmId), commentId: commentId, message: message) }
    }

    func listIncidents(modifiedSince since: Date) -> SentinelSyncOutcome<[SentinelSyncIncident]> {
        switch Self.outcome({ () throws(AzureError) in try client.listIncidents(modifiedSince: since) }) {
        case .success(let list): .success(list.compactMap(Self.incident))
        case .conflict: .conflict
        case .throttled(let seconds): .throttled(retryAfter: seconds)
        case .temporary(let reason): .temporary(reason)
        case .permanent(let reason): .permanent(reason)
        }
    }
}
