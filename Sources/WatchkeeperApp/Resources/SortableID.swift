import Cryptography
import Foundation
import Storage

/// Ids for rows written at a high rate (alerts, messages): 48 bits of Unix milliseconds then 48
/// random bits, in an alphabet whose ASCII order is its value order. New rows then land next to
/// each other in every index keyed by them (the primary key, and each `alert_id` index of the
/// timeline, escalations, notifications, messages and tokens), so a commit writes a few pages at
/// the right edge of each B-tree instead of one random page per row and index — this halved the
/// time of a commit of new alerts (docs/BENCHMARKS.md). The 16 characters stay base64url-safe.
enum SortableID {
    static func make(prefix: String, at time: Date) -> String {
        // Rounded like the stored instants, so an id and its row's created_at agree.
        let milliseconds = UInt64(max(0, min(time.unixMilliseconds, (1 << 48) - 1)))
        let random = SecureRandom.bytes(6)
        var value = milliseconds
        var low: UInt64 = 0
        for byte in random { low = low << 8 | UInt64(byte) }
        // 96 bits = 16 characters of 6 bits: the time's 48 bits make the first 8.
        var characters = [UInt8](repeating: 0, count: 16)
        for index in stride(from: 15, through: 8, by: -1) {
            characters[index] = alphabet[Int(low & 63)]
            low >>= 6
        }
        for index in stride(from: 7, through: 0, by: -1) {
            characters[index] = alphabet[Int(value & 63)]
            value >>= 6
        }
        return prefix + String(decoding: characters, as: UTF8.self)
    }

    /// The low `6 × count` bits of `time`'s Unix milliseconds as `count` ordered characters: a
    /// prefix that keeps rows made close in time close in an index (it wraps, every 795 days for 6).
    static func timeCharacters(_ time: Date, count: Int) -> String {
        var value = UInt64(max(0, time.unixMilliseconds))
        var characters = [UInt8](repeating: 0, count: count)
        for index in stride(from: count - 1, through: 0, by: -1) {
            characters[index] = alphabet[Int(value & 63)]
            value >>= 6
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// base64url's 64 characters in ASCII order.
    private static let alphabet = Array("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8)
}
