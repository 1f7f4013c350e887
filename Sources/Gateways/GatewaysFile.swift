import Foundation

/// The gateways file (`--gateways PATH`, docs/GATEWAYS.md): the gateways by name, the ordered
/// gateway list per contact-method type, and SMS routes by number prefix. Decoding checks the
/// structure and every cross-reference; each gateway's own settings are decoded by its kind.
public struct GatewaysFile: Sendable, Equatable {
    public struct Gateway: Sendable, Equatable {
        public var name: String
        public var kind: String
        /// The gateway's whole JSON object, for `ConfigurableGateway.init(name:settings:context:)`.
        public var settings: Data
    }

    public struct SMSPrefix: Sendable, Equatable {
        /// "+" and 1–6 digits, e.g. "+44" or "+4791".
        public var prefix: String
        public var gateways: [String]
    }

    public var gateways: [Gateway]
    public var routes: [ContactMethodType: [String]]
    public var smsPrefixes: [SMSPrefix]

    static let topLevelKeys: Set<String> = ["gateways", "routes", "smsPrefixes"]

    /// Decodes and checks `data`. `kinds`: the gateway kinds this server knows.
    public static func decode(_ data: Data, kinds: Set<String>) throws(GatewaysFileError) -> GatewaysFile {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw GatewaysFileError("is not a JSON object")
        }
        for key in root.keys.sorted() where !topLevelKeys.contains(key) {
            throw GatewaysFileError("unknown key '\(key)' (known: gateways, routes, smsPrefixes)")
        }
        guard let list = root["gateways"] as? [Any], !list.isEmpty else {
            throw GatewaysFileError("gateways must be a non-empty array")
        }
        var gateways: [Gateway] = []
        var names = Set<String>()
        for (index, item) in list.enumerated() {
            let field = "gateways[\(index)]"
            guard let object = item as? [String: Any] else { throw GatewaysFileError("\(field) must be an object") }
            guard let name = object["name"] as? String, isValidName(name) else {
                throw GatewaysFileError("\(field).name must be 1–64 letters, digits, '-' or '_' (it is part of the callback URLs)")
            }
            guard names.insert(name).inserted else { throw GatewaysFileError("\(field).name '\(name)' is used twice") }
            guard let kind = object["kind"] as? String else { throw GatewaysFileError("\(field).kind (of gateway '\(name)') must be a string") }
            guard kinds.contains(kind) else {
                throw GatewaysFileError("\(field).kind '\(kind)' of gateway '\(name)' is unknown (known: \(kinds.sorted().joined(separator: ", ")))")
            }
            guard let settings = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
                throw GatewaysFileError("\(field) cannot be re-encoded")
            }
            gateways.append(Gateway(name: name, kind: kind, settings: settings))
        }

        func gatewayList(_ value: Any?, field: String) throws(GatewaysFileError) -> [String] {
            guard let list = value as? [Any], !list.isEmpty else { throw GatewaysFileError("\(field) must be a non-empty array of gateway names") }
            var seen = Set<String>()
            var result: [String] = []
            for (index, item) in list.enumerated() {
                guard let name = item as? String else { throw GatewaysFileError("\(field)[\(index)] must be a gateway name") }
                guard names.contains(name) else { throw GatewaysFileError("\(field) names unknown gateway '\(name)'") }
                guard seen.insert(name).inserted else { throw GatewaysFileError("\(field) names gateway '\(name)' twice") }
                result.append(name)
            }
            return result
        }

        var routes: [ContactMethodType: [String]] = [:]
        if let raw = root["routes"] {
            guard let object = raw as? [String: Any] else { throw GatewaysFileError("routes must be an object") }
            for key in object.keys.sorted() {
                guard let type = ContactMethodType(rawValue: key) else {
                    let known = ContactMethodType.allCases.map(\.rawValue).joined(separator: ", ")
                    throw GatewaysFileError("routes.\(key) is not a contact method type (known: \(known))")
                }
                routes[type] = try gatewayList(object[key], field: "routes.\(key)")
            }
        }

        var prefixes: [SMSPrefix] = []
        if let raw = root["smsPrefixes"] {
            guard let list = raw as? [Any] else { throw GatewaysFileError("smsPrefixes must be an array") }
            var seen = Set<String>()
            for (index, item) in list.enumerated() {
                let field = "smsPrefixes[\(index)]"
                guard let object = item as? [String: Any] else { throw GatewaysFileError("\(field) must be an object") }
                guard let prefix = object["prefix"] as? String, isValidPrefix(prefix) else {
                    throw GatewaysFileError("\(field).prefix must be '+' and 1–6 digits, e.g. \"+44\"")
                }
                guard seen.insert(prefix).inserted else { throw GatewaysFileError("\(field).prefix '\(prefix)' is used twice") }
                for key in object.keys.sorted() where key != "prefix" && key != "gateways" {
                    throw GatewaysFileError("\(field) has unknown key '\(key)' (known: prefix, gateways)")
                }
                prefixes.append(SMSPrefix(prefix: prefix, gateways: try gatewayList(object["gateways"], field: "\(field).gateways")))
            }
        }
        return GatewaysFile(gateways: gateways, routes: routes, smsPrefixes: prefixes)
    }

    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

    static func isValidPrefix(_ prefix: String) -> Bool {
        let digits = prefix.utf8.dropFirst()
        return prefix.hasPrefix("+") && (1...6).contains(digits.count) && digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// The gateway names for a message of `type` to `address`: for SMS the longest matching
    /// `smsPrefixes` entry, else `routes[type]`; nil when the file names none.
    public func route(for type: ContactMethodType, address: String) -> [String]? {
        if type == .sms {
            let matching = smsPrefixes.filter { address.hasPrefix($0.prefix) }.max { $0.prefix.count < $1.prefix.count }
            if let matching { return matching.gateways }
        }
        return routes[type]
    }
}
