/// Comment ids we choose (ARM's comment PUT takes the id in the path): a UUIDv5 (RFC 9562 §5.5)
/// of our own stable id for the comment, e.g. the outbox message id, so a retried PUT updates the
/// same comment (200) instead of adding a second one.
public enum CommentID {
    /// The namespace of Watchkeeper's comment ids (random, fixed forever).
    public static let namespace: [UInt8] = [0x6f, 0x1c, 0x3a, 0x52, 0x8e, 0x4b, 0x4d, 0x27, 0x9a, 0x0f, 0x2b, 0x71, 0xc4, 0x5e, 0x83, 0xd9]

    public static func make(from ourId: String) -> String { uuid5(namespace: namespace, name: ourId) }

    /// RFC 9562 UUIDv5, lower-case.
    public static func uuid5(namespace: [UInt8], name: String) -> String {
        var bytes = Array(SHA1.hash(namespace + Array(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0f) | 0x50
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = bytes.map { byte in String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
