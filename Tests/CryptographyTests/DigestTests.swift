import Testing
@testable import Cryptography

/// FIPS 180-2 appendix examples and the well-known empty-input digests.
@Suite struct DigestTests {
    static let abc = Array("abc".utf8)
    static let twoBlock = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    static let millionA = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)

    @Test func sha256KnownAnswers() {
        #expect(Hex.encode(Digest.sha256(Self.abc)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.encode(Digest.sha256(Self.twoBlock)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Hex.encode(Digest.sha256(Self.millionA)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(Hex.encode(Digest.sha256([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func sha1KnownAnswers() {
        #expect(Hex.encode(Digest.sha1(Self.abc)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Hex.encode(Digest.sha1(Self.twoBlock)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(Hex.encode(Digest.sha1(Self.millionA)) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
        #expect(Hex.encode(Digest.sha1([UInt8]())) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }

    @Test func acceptsNonContiguousAndStringCollections() {
        // A lazy map has no contiguous storage; a UTF-8 view does. Both must hash like the array.
        let lazy = Self.abc.lazy.map { $0 }
        #expect(Digest.sha256(lazy) == Digest.sha256(Self.abc))
        #expect(Digest.sha256("abc".utf8) == Digest.sha256(Self.abc))
        #expect(Digest.sha1(Self.abc[...]) == Digest.sha1(Self.abc))
    }
}
