import Foundation

/// One alert of an incident, as much as a person needs in the alert's details.
public struct SecurityAlertSummary: Sendable, Equatable {
    public var alertDisplayName: String
    public var productName: String?
    /// As Sentinel wrote it; not checked, it only informs.
    public var severity: String?
    public var tactics: [String]

    public init(alertDisplayName: String, productName: String? = nil, severity: String? = nil, tactics: [String] = []) {
        self.alertDisplayName = alertDisplayName
        self.productName = productName
        self.severity = severity
        self.tactics = tactics
    }

    /// Parses the answer of `POST …/incidents/{id}/alerts` (`{value: [SecurityAlert]}`).
    public static func parseList(json data: Data) throws -> [SecurityAlertSummary] {
        try PayloadObject.parse(data).objects("value").map(parse)
    }

    static func parse(_ alert: PayloadObject) throws -> SecurityAlertSummary {
        let properties = try alert.object("properties") ?? alert
        let name = try properties.string("alertDisplayName") ?? properties.string("friendlyName") ?? "(unnamed alert)"
        return SecurityAlertSummary(alertDisplayName: name, productName: try properties.string("productName"),
                                    severity: try properties.string("severity"), tactics: try properties.strings("tactics"))
    }
}
