import COpenSSL

/// Compares two byte strings in time that depends only on their length, for MACs, signatures
/// and tokens. Lengths are not secret (they are fixed by the algorithm), so a length mismatch
/// returns at once.
public func constantTimeEquals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    return a.withNonNullBytes { aPointer, count in
        b.withNonNullBytes { bPointer, _ in CRYPTO_memcmp(aPointer, bPointer, count) == 0 }
    }
}
