import Foundation

/// One entity of an incident reduced to what a person and a routing rule need: its kind and its
/// main value. Account: `accountName@upnSuffix`, else the display name; Host: `hostName`,
/// else `netBiosName`, else `dnsDomain`; Ip: `address`; Url: `url`; any other
/// kind: its `friendlyName`.
public struct IncidentEntity: Sendable, Equatable {
    public var kind: String
    public var value: String

    public init(kind: String, value: String) {
        self.kind = kind
        self.value = value
    }

    /// Parses the answer of `POST …/incidents/{id}/entities` (`{entities: [Entity], metaData}`).
    public static func parseList(json data: Data) throws -> [IncidentEntity] {
        try PayloadObject.parse(data).objects("entities").compactMap(parse)
    }

    /// nil for an entity with nothing to show (no kind, or no value).
    static func parse(_ entity: PayloadObject) throws -> IncidentEntity? {
        guard let kind = try entity.string("kind"), !kind.isEmpty else { return nil }
        let properties = try entity.object("properties") ?? entity
        let text = { (key: String) -> String? in (try? properties.string(key)).flatMap { $0?.isEmpty == false ? $0 : nil } }
        var value: String?
        switch kind.lowercased() {
        case "account":
            if let name = text("accountName") {
                value = text("upnSuffix").map { "\(name)@\($0)" } ?? text("displayName") ?? name
            } else {
                value = text("displayName") ?? text("aadUserId")
            }
        case "host":
            // The short name: what analysts say and host patterns match; the domain is in `domain`.
            value = text("hostName") ?? text("netBiosName") ?? text("dnsDomain")
        case "ip": value = text("address")
        case "url": value = text("url")
        default: value = nil
        }
        guard let found = value ?? text("friendlyName") else { return nil }
        return IncidentEntity(kind: kind, value: found)
    }
}
