import Foundation
import Synchronization
@testable import WatchkeeperApp

/// A Sentinel workspace in memory that behaves like ARM for the write-back and the poller: etags
/// change on every write and a stale one is a 409, PUT replaces every writable field (no owner
/// unassigns), Closed needs one of the five classification pairs, comments keep their ids and stop
/// at 100. Faults are injected per call. Portal changes go through `portal…`.
final class SentinelSyncTestWorkspace: SentinelSyncTransport, @unchecked Sendable {
    enum Fault: Sendable {
        /// Someone changes the incident in the portal between our GET and our PUT.
        case portalWriteBeforePut(@Sendable (inout [String: JSONValue]) -> Void)
        case throttle(TimeInterval)
        case timeout
        /// The PUT is applied but its answer is lost.
        case lostAnswer
    }

    struct Incident {
        var armId: String
        var etagNumber: Int
        var properties: [String: JSONValue]
        var comments: [String: String] = [:]
        var commentOrder: [String] = []
        var etag: String { "\"\(String(etagNumber, radix: 16))-0000-0100-0000-\(armId.count)\"" }
    }

    let tenantId: String
    let time: ManualTimeSource
    private let lock = NSLock()
    private var incidents: [String: Incident] = [:]
    private var faults: [Fault] = []
    private var etagCounter = 0
    private var lastStamp = Date.distantPast
    /// Our calls, counted.
    private(set) var ourPuts = 0
    private(set) var ourCommentPuts = 0
    private(set) var throttledCalls = 0
    private(set) var rejected: [String] = []

    init(tenantId: String, time: ManualTimeSource) {
        self.tenantId = tenantId
        self.time = time
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T { lock.lock(); defer { lock.unlock() }; return try body() }

    // MARK: Setup and the portal

    @discardableResult
    func create(name: String, title: String, severity: String = "Medium", subscription: String = "sub-1", workspace: String = "ws-1") -> String {
        locked {
            let armId = "/subscriptions/\(subscription)/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/\(workspace)/providers/Microsoft.SecurityInsights/Incidents/\(name)"
            var incident = Incident(armId: armId, etagNumber: 0, properties: [
                "title": .string(title), "severity": .string(severity), "status": "New", "incidentNumber": 7,
                "owner": ["objectId": .null, "email": .null, "assignedTo": .null, "userPrincipalName": .null],
                "labels": [["labelName": "prod", "labelType": "User"]], "createdTimeUtc": .string(stamp()),
            ])
            bump(&incident)
            incidents[armId.lowercased()] = incident
            return armId
        }
    }

    func incident(_ armId: String) -> Incident? { locked { incidents[armId.lowercased()] } }
    func snapshot(_ armId: String) -> SentinelSyncIncident? { locked { incidents[armId.lowercased()].map(Self.snapshot) } }

    func inject(_ fault: Fault) { locked { faults.append(fault) } }
    func clearFaults() { locked { faults.removeAll() } }
    /// PUTs of ours that left an assigned incident without owner (must stay 0), and the pair of
    /// each incident's first close, whoever made it.
    private(set) var ownerDrops = 0
    private(set) var firstClose: [String: SentinelWriteClassification] = [:]
    var pendingFaults: Int { locked { faults.count } }

    func portal(_ armId: String, _ change: (inout [String: JSONValue]) -> Void) {
        locked {
            guard var incident = incidents[armId.lowercased()] else { return }
            change(&incident.properties)
            noteClose(armId, incident.properties)
            bump(&incident)
            incidents[armId.lowercased()] = incident
        }
    }

    private func noteClose(_ armId: String, _ properties: [String: JSONValue]) {
        guard firstClose[armId.lowercased()] == nil, properties["status"] == "Closed", case .string(let classification)? = properties["classification"] else { return }
        let reason: String? = if case .string(let text)? = properties["classificationReason"] { text } else { nil }
        firstClose[armId.lowercased()] = .init(classification: classification, reason: reason)
    }

    func portalComment(_ armId: String, _ text: String) {
        locked {
            guard var incident = incidents[armId.lowercased()] else { return }
            let id = UUID().uuidString.lowercased()
            incident.comments[id] = text
            incident.commentOrder.append(id)
            incidents[armId.lowercased()] = incident
        }
    }

    static func close(_ properties: inout [String: JSONValue], _ pair: SentinelWriteClassification) {
        properties["status"] = "Closed"
        properties["classification"] = .string(pair.classification)
        properties["classificationReason"] = pair.reason.map { .string($0) } ?? nil
    }

    private func stamp() -> String {
        // Strictly increasing, like Sentinel's lastModifiedTimeUtc (7 fractional digits).
        var now = time.now()
        if now <= lastStamp { now = lastStamp.addingTimeInterval(0.001) }
        lastStamp = now
        let whole = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
        let fraction = now.timeIntervalSince1970 - now.timeIntervalSince1970.rounded(.down)
        return whole.replacingOccurrences(of: "Z", with: String(format: ".%07dZ", Int((fraction * 10_000_000).rounded())))
    }

    private func bump(_ incident: inout Incident) {
        etagCounter += 1
        incident.etagNumber = etagCounter
        incident.properties["lastModifiedTimeUtc"] = .string(stamp())
    }

    private static func snapshot(_ incident: Incident) -> SentinelSyncIncident {
        SentinelSyncIncident(armId: incident.armId, etag: incident.etag, properties: incident.properties)
    }

    private func takeFault() -> Fault? { faults.isEmpty ? nil : faults.removeFirst() }

    // MARK: The transport

    func getIncident(armId: String) -> SentinelSyncOutcome<SentinelSyncIncident> {
        locked {
            switch takeFault() {
            case .throttle(let seconds)?: throttledCalls += 1; return .throttled(retryAfter: seconds)
            case .timeout?: return .temporary("timed out")
            case .portalWriteBeforePut(let change)?:
                // Comes into play after our GET: put it back in front for the PUT.
                faults.insert(.portalWriteBeforePut(change), at: 0)
            case .lostAnswer?: faults.insert(.lostAnswer, at: 0)
            case nil: break
            }
            guard let incident = incidents[armId.lowercased()] else { return .permanent("404 NotFound") }
            return .success(Self.snapshot(incident))
        }
    }

    func putIncident(armId: String, etag: String, properties: [String: JSONValue]) -> SentinelSyncOutcome<SentinelSyncIncident> {
        locked {
            var lost = false
            switch takeFault() {
            case .throttle(let seconds)?: throttledCalls += 1; return .throttled(retryAfter: seconds)
            case .timeout?: return .temporary("timed out")
            case .portalWriteBeforePut(let change)?:
                if var incident = incidents[armId.lowercased()] {
                    change(&incident.properties)
                    noteClose(armId, incident.properties)
                    bump(&incident)
                    incidents[armId.lowercased()] = incident
                }
            case .lostAnswer?: lost = true
            case nil: break
            }
            guard var incident = incidents[armId.lowercased()] else { return .permanent("404 NotFound") }
            guard etag == incident.etag else { return .conflict }
            if let problem = Self.validate(properties) {
                rejected.append(problem)
                return .permanent("400 BadRequest: \(problem)")
            }
            ourPuts += 1
            if SentinelWriteChange.ownerId(incident.properties) != nil, SentinelWriteChange.ownerId(properties) == nil { ownerDrops += 1 }
            noteClose(armId, properties)
            // Full replace of the writable fields; read-only ones stay.
            var next = incident.properties.filter { ["incidentNumber", "createdTimeUtc", "lastModifiedTimeUtc"].contains($0.key) }
            for (key, value) in properties { next[key] = value }
            if next["owner"] == nil { next["owner"] = ["objectId": .null, "email": .null, "assignedTo": .null, "userPrincipalName": .null] }
            incident.properties = next
            bump(&incident)
            incidents[armId.lowercased()] = incident
            return lost ? .temporary("timed out after sending") : .success(Self.snapshot(incident))
        }
    }

    static func validate(_ properties: [String: JSONValue]) -> String? {
        for field in ["title", "severity", "status"] where properties[field] == nil { return "\(field) is required" }
        guard case .string(let severity)? = properties["severity"], ["High", "Medium", "Low", "Informational"].contains(severity) else { return "bad severity" }
        guard case .string(let status)? = properties["status"], ["New", "Active", "Closed"].contains(status) else { return "bad status" }
        for readOnly in ["incidentNumber", "createdTimeUtc", "lastModifiedTimeUtc"] where properties[readOnly] != nil { return "\(readOnly) is read-only" }
        if status == "Closed" {
            guard case .string(let classification)? = properties["classification"] else { return "Closed needs classification" }
            let reason: String? = if case .string(let text)? = properties["classificationReason"] { text } else { nil }
            guard SentinelWriteClassification.valid.contains(.init(classification: classification, reason: reason)) else {
                return "classification '\(classification)' must have a matching classificationReason"
            }
        }
        return nil
    }

    func putComment(incidentArmId: String, commentId: String, message: String) -> SentinelSyncOutcome<Void> {
        locked {
            switch takeFault() {
            case .throttle(let seconds)?: throttledCalls += 1; return .throttled(retryAfter: seconds)
            case .timeout?: return .temporary("timed out")
            case .portalWriteBeforePut(let change)?: faults.insert(.portalWriteBeforePut(change), at: 0)
            case .lostAnswer?: faults.insert(.lostAnswer, at: 0)
            case nil: break
            }
            guard var incident = incidents[incidentArmId.lowercased()] else { return .permanent("404 NotFound") }
            guard message.count <= 30_000 else { return .permanent("400 message too long") }
            ourCommentPuts += 1
            if incident.comments[commentId] == nil {
                guard incident.comments.count < 100 else { return .permanent("400 the incident has 100 comments") }
                incident.commentOrder.append(commentId)
            }
            incident.comments[commentId] = message
            incidents[incidentArmId.lowercased()] = incident
            return .success(())
        }
    }

    func listIncidents(modifiedSince since: Date) -> SentinelSyncOutcome<[SentinelSyncIncident]> {
        locked {
            .success(incidents.values.map(Self.snapshot).filter { ($0.lastModified ?? .distantPast) >= since })
        }
    }
}
