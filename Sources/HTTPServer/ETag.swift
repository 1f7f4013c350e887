/// An entity tag (RFC 9110 §8.8.3): `"opaque"` or weak `W/"opaque"`.
public struct ETag: Sendable, Hashable, CustomStringConvertible {
    /// The characters between the quotes.
    public var opaqueTag: String
    public var isWeak: Bool

    public init(_ opaqueTag: String, isWeak: Bool = false) {
        self.opaqueTag = opaqueTag
        self.isWeak = isWeak
    }

    public var description: String { (isWeak ? "W/\"" : "\"") + opaqueTag + "\"" }

    /// Weak comparison (RFC 9110 §8.8.3.2): the opaque tags are equal, weak or not.
    public func weaklyMatches(_ other: ETag) -> Bool { opaqueTag == other.opaqueTag }

    /// Strong comparison: both strong and equal.
    public func stronglyMatches(_ other: ETag) -> Bool { !isWeak && !other.isWeak && opaqueTag == other.opaqueTag }

    /// Whether the `If-None-Match` field values name this representation (so a GET or HEAD gets
    /// 304): `*`, or any listed tag that matches weakly (RFC 9110 §13.1.2). A malformed value
    /// names nothing, so the client simply gets the full response.
    public func isMatched(byIfNoneMatch values: [String]) -> Bool {
        values.contains { value in
            if value.trimmingOWS() == "*" { return true }
            return Self.parseList(value)?.contains { $0.weaklyMatches(self) } ?? false
        }
    }

    /// A comma-separated list of entity tags (`"a", W/"b"`); nil when any element is malformed.
    /// Commas may appear inside the quotes, so this scans rather than splits.
    public static func parseList(_ text: String) -> [ETag]? {
        let bytes = Array(text.utf8)
        var tags: [ETag] = []
        var index = 0
        func skipSeparators() {
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") || bytes[index] == UInt8(ascii: ",") {
                index += 1
            }
        }
        skipSeparators()
        while index < bytes.count {
            var weak = false
            if bytes[index] == UInt8(ascii: "W"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                weak = true
                index += 2
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            let start = index
            // etagc: %x21 / %x23-7E / obs-text
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                guard bytes[index] >= 0x21, bytes[index] != 0x7F else { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            tags.append(ETag(String(decoding: bytes[start..<index], as: UTF8.self), isWeak: weak))
            index += 1
            // Elements must be separated by a comma, not just juxtaposed.
            let afterTag = index
            skipSeparators()
            if index < bytes.count, !bytes[afterTag..<index].contains(UInt8(ascii: ",")) { return nil }
        }
        return tags
    }
}
