import Testing
@testable import Cryptography

@Suite struct SecureRandomTests {
    @Test func returnsRequestedCount() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(1).count == 1)
        #expect(SecureRandom.bytes(32).count == 32)
    }

    @Test func successiveCallsDiffer() {
        // A 2^-256 chance of a false failure.
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }

    @Test func coversEveryByteValue() {
        // A constant or stuck generator fails this; a good one misses a value with p < 256·e^-256.
        let sample = SecureRandom.bytes(65_536)
        #expect(Set(sample).count == 256)
    }

    @Test func tokenIsUnpaddedBase64URLOfTheRequestedBytes() throws {
        let token = SecureRandom.token()
        #expect(token.count == 43)
        #expect(try #require(Base64URL.decode(token)).count == 32)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })

        let short = SecureRandom.token(bytes: 16)
        #expect(short.count == 22)
        #expect(try #require(Base64URL.decode(short)).count == 16)
        #expect(SecureRandom.token() != SecureRandom.token())
    }
}
