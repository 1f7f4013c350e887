import Foundation

/// What the fake ARM checks requests against, read from the saved swagger (Microsoft.SecurityInsights
/// 2025-12-01) in ../shared/specs/sentinel/ rather than typed in, so the fake cannot drift from it.
public struct IncidentsSpec: Sendable {
    public var apiVersion: String
    /// Path templates of Incidents.json, e.g. `/subscriptions/{subscriptionId}/…/incidents/{incidentId}`.
    public var pathTemplates: [String]
    /// `IncidentProperties.required` (title, severity, status).
    public var requiredProperties: [String]
    /// `IncidentProperties` marked readOnly, plus the resource envelope's (id, name, type, systemData).
    public var readOnlyProperties: Set<String>
    public var readOnlyResourceFields: Set<String>
    /// Enums by property name: severity, status, classification, classificationReason, ownerType.
    public var enums: [String: [String]]
    /// `IncidentLabel.labelType` is readOnly.
    public var labelTypeReadOnly: Bool
    public var commentRequired: [String]
    public var commentReadOnly: Set<String>

    /// The saved spec directory: ../shared/specs/sentinel next to the package.
    public static var defaultDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/specs/sentinel")
    }

    public static func load(from directory: URL = defaultDirectory) throws -> IncidentsSpec {
        let stable = directory.appendingPathComponent("specification/securityinsights/resource-manager/Microsoft.SecurityInsights/stable/2025-12-01")
        let incidents = try object(stable.appendingPathComponent("Incidents.json"))
        let types = try object(stable.appendingPathComponent("common/IncidentTypes.json"))
        let common = try object(directory.appendingPathComponent("specification/common-types/resource-management/v3/types.json"))
        let definitions = incidents["definitions"] as? [String: Any] ?? [:]
        let typeDefinitions = types["definitions"] as? [String: Any] ?? [:]
        let properties = (definitions["IncidentProperties"] as? [String: Any]) ?? [:]
        let propertyList = properties["properties"] as? [String: [String: Any]] ?? [:]

        func enumValues(_ schema: [String: Any]) -> [String]? {
            if let values = schema["enum"] as? [String] { return values }
            if let ref = schema["$ref"] as? String, let name = ref.split(separator: "/").last,
               let target = typeDefinitions[String(name)] as? [String: Any] {
                return target["enum"] as? [String]
            }
            return nil
        }
        var enums: [String: [String]] = [:]
        for (name, schema) in propertyList { if let values = enumValues(schema) { enums[name] = values } }
        let owner = (typeDefinitions["IncidentOwnerInfo"] as? [String: Any])?["properties"] as? [String: [String: Any]] ?? [:]
        if let ownerType = owner["ownerType"], let values = enumValues(ownerType) { enums["ownerType"] = values }
        let labelType = typeDefinitions["IncidentLabelType"] as? [String: Any] ?? [:]
        let resource = ((common["definitions"] as? [String: Any])?["Resource"] as? [String: Any])?["properties"] as? [String: [String: Any]] ?? [:]
        let comment = definitions["IncidentCommentProperties"] as? [String: Any] ?? [:]
        let commentProperties = comment["properties"] as? [String: [String: Any]] ?? [:]
        return IncidentsSpec(
            apiVersion: (incidents["info"] as? [String: Any])?["version"] as? String ?? "",
            pathTemplates: Array((incidents["paths"] as? [String: Any] ?? [:]).keys).sorted(),
            requiredProperties: properties["required"] as? [String] ?? [],
            readOnlyProperties: Set(propertyList.filter { $0.value["readOnly"] as? Bool == true }.keys),
            readOnlyResourceFields: Set(resource.filter { $0.value["readOnly"] as? Bool == true }.keys),
            enums: enums,
            labelTypeReadOnly: labelType["readOnly"] as? Bool == true,
            commentRequired: comment["required"] as? [String] ?? [],
            commentReadOnly: Set(commentProperties.filter { $0.value["readOnly"] as? Bool == true }.keys))
    }

    private static func object(_ url: URL) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }

    /// The template a concrete path matches (literal segments compared case-insensitively, as ARM
    /// does), with its parameters; nil when it matches none.
    public func match(_ path: String) -> (template: String, parameters: [String: String])? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        for template in pathTemplates {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
            guard parts.count == segments.count else { continue }
            var parameters: [String: String] = [:]
            var matched = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") && part.hasSuffix("}") {
                    guard !segment.isEmpty else { matched = false; break }
                    parameters[String(part.dropFirst().dropLast())] = PercentDecoding.decode(segment)
                } else if part.caseInsensitiveCompare(segment) != .orderedSame {
                    matched = false
                    break
                }
            }
            if matched { return (template, parameters) }
        }
        return nil
    }
}

enum PercentDecoding {
    static func decode(_ text: String) -> String { text.removingPercentEncoding ?? text }
}
