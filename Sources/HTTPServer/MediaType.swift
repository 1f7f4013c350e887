/// A media type such as `application/json; charset=utf-8` (RFC 9110 §8.3.1). Type, subtype and
/// parameter names are lower-cased; parameter values are unquoted.
public struct MediaType: Sendable, Hashable, CustomStringConvertible {
    public var type: String
    public var subtype: String
    public var parameters: [String: String]

    public init(type: String, subtype: String, parameters: [String: String] = [:]) {
        self.type = type.lowercased()
        self.subtype = subtype.lowercased()
        self.parameters = Dictionary(uniqueKeysWithValues: parameters.map { ($0.key.lowercased(), $0.value) })
    }

    /// Parses a `Content-Type` value; nil when it is not `type/subtype` followed by
    /// `; name=value` parameters.
    public init?(parsing text: String) {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        let essence = parts[0].trimmingOWS().split(separator: "/", omittingEmptySubsequences: false)
        guard essence.count == 2, Self.isToken(essence[0]), Self.isToken(essence[1]) else { return nil }
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() {
            let parameter = part.trimmingOWS()
            if parameter.isEmpty { continue }
            guard let equals = parameter.firstIndex(of: "=") else { return nil }
            let name = parameter[..<equals]
            var value = parameter[parameter.index(after: equals)...]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = value.dropFirst().dropLast()
            }
            guard Self.isToken(name) else { return nil }
            // The first occurrence counts; a repeated parameter is a sender's mistake.
            if parameters[name.lowercased()] == nil { parameters[name.lowercased()] = String(value) }
        }
        self.init(type: String(essence[0]), subtype: String(essence[1]), parameters: parameters)
    }

    public var description: String {
        let parameters = parameters.sorted { $0.key < $1.key }.map { "; \($0.key)=\($0.value)" }
        return "\(type)/\(subtype)" + parameters.joined()
    }

    /// `application/json` or any `application/*+json` (problem+json, merge-patch+json...).
    public var isJSON: Bool {
        type == "application" && (subtype == "json" || subtype.hasSuffix("+json"))
    }

    public var charset: String? { parameters["charset"] }

    /// The media type for a file name extension (lower-cased, without the dot), or
    /// `application/octet-stream` when unknown. Text types carry `charset=utf-8`.
    public static func forFileExtension(_ fileExtension: String) -> MediaType {
        byExtension[fileExtension.lowercased()] ?? MediaType(type: "application", subtype: "octet-stream")
    }

    private static let byExtension: [String: MediaType] = {
        let utf8 = ["charset": "utf-8"]
        let javascript = MediaType(type: "text", subtype: "javascript", parameters: utf8)
        let json = MediaType(type: "application", subtype: "json", parameters: utf8)
        return [
            "html": MediaType(type: "text", subtype: "html", parameters: utf8),
            "htm": MediaType(type: "text", subtype: "html", parameters: utf8),
            "css": MediaType(type: "text", subtype: "css", parameters: utf8),
            "js": javascript,
            "mjs": javascript,
            "json": json,
            "map": json,
            "txt": MediaType(type: "text", subtype: "plain", parameters: utf8),
            "xml": MediaType(type: "application", subtype: "xml", parameters: utf8),
            "ics": MediaType(type: "text", subtype: "calendar", parameters: utf8),
            "svg": MediaType(type: "image", subtype: "svg+xml"),
            "png": MediaType(type: "image", subtype: "png"),
            "jpg": MediaType(type: "image", subtype: "jpeg"),
            "jpeg": MediaType(type: "image", subtype: "jpeg"),
            "ico": MediaType(type: "image", subtype: "x-icon"),
            "webp": MediaType(type: "image", subtype: "webp"),
            "woff2": MediaType(type: "font", subtype: "woff2"),
            "wasm": MediaType(type: "application", subtype: "wasm"),
        ]
    }()

    /// RFC 9110 §5.6.2 token characters.
    private static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
