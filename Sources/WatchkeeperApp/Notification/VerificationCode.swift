import Cryptography

/// The 6-digit code that proves a contact method reaches its user.
enum VerificationCode {
    static let digits = 6
    private static let range: UInt32 = 1_000_000
    /// The largest multiple of `range` that fits in 32 bits: draws at or above it are redrawn, so
    /// every code is equally likely (a plain `% range` would favour the low ones).
    private static let limit = UInt32((UInt64(1) << 32) / UInt64(range) * UInt64(range))

    /// A uniformly random code, zero-padded ("004217").
    static func generate() -> String {
        while true {
            let bytes = SecureRandom.bytes(4)
            let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard value < limit else { continue }
            let text = String(value % range)
            return String(repeating: "0", count: digits - text.count) + text
        }
    }

    /// What is stored instead of the code. A fast hash suffices here: the code's safety comes from
    /// its 10-minute life and 5 attempts, the hash only keeps it out of backups and the database file.
    static func hash(_ code: String) -> [UInt8] {
        Digest.sha256(Array(code.utf8))
    }

    /// Whether `code` is the one whose hash is stored, compared in constant time.
    static func matches(_ code: String, hash stored: [UInt8]) -> Bool {
        constantTimeEquals(hash(code), stored)
    }
}
