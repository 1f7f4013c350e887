import COpenSSL

/// Owns one EVP_CIPHER_CTX for the length of one AES-GCM operation.
final class CipherContext {
    let pointer: OpaquePointer

    init() throws {
        guard let pointer = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL("EVP_CIPHER_CTX_new") }
        self.pointer = pointer
    }

    deinit {
        // Also wipes the expanded key schedule.
        EVP_CIPHER_CTX_free(pointer)
    }

    /// Feeds additional authenticated data (a NULL output buffer tells GCM it is AAD).
    func update(associatedData: [UInt8]) throws {
        guard !associatedData.isEmpty else { return }
        guard associatedData.count <= Int(Int32.max) else {
            throw CryptoError.malformedSealedData(reason: "associated data longer than 2 GiB")
        }
        var outCount: Int32 = 0
        let status = associatedData.withUnsafeBufferPointer {
            EVP_CipherUpdate(pointer, nil, &outCount, $0.baseAddress, Int32($0.count))
        }
        guard status == 1 else { throw CryptoError.openSSL("AES-GCM associated data") }
    }

    /// Encrypts or decrypts `input`; GCM is a stream mode, so output and input lengths match.
    func update(_ input: [UInt8], encrypting: Bool) throws -> [UInt8] {
        guard !input.isEmpty else { return [] }
        guard input.count <= Int(Int32.max) - 16 else {
            throw CryptoError.malformedSealedData(reason: "data longer than 2 GiB")
        }
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var outCount: Int32 = 0
        let status = input.withUnsafeBufferPointer {
            EVP_CipherUpdate(pointer, &output, &outCount, $0.baseAddress, Int32($0.count))
        }
        guard status == 1 else { throw CryptoError.openSSL(encrypting ? "AES-GCM encrypt" : "AES-GCM decrypt") }
        return Array(output.prefix(Int(outCount)))
    }
}
