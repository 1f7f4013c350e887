import COpenSSL
import CShims
import Foundation

/// The server's `SSL_CTX`: TLS 1.2 and 1.3 only, certificate chain and key loaded and checked.
// @unchecked Sendable: the context is fully configured in `init` and never changed afterwards;
// OpenSSL documents `SSL_new` on a shared, unmodified SSL_CTX as safe from any thread.
final class TLSContext: @unchecked Sendable {
    private let context: OpaquePointer

    init(_ configuration: TLSConfiguration) throws(HTTPServerError) {
        for (label, path) in [("certificate chain", configuration.certificateChainPath), ("private key", configuration.privateKeyPath)] {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw .tls("cannot read the \(label) file \(path)")
            }
        }
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .tls("SSL_CTX_new failed: \(Self.lastError())") }
        self.context = context
        guard wk_ssl_ctx_set_min_proto_tls12(context) == 1 else { throw .tls("cannot require TLS 1.2: \(Self.lastError())") }
        _ = wk_ssl_ctx_set_mode_partial_writes(context)
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificateChainPath) == 1 else {
            throw .tls("cannot load the certificate chain \(configuration.certificateChainPath): \(Self.lastError())")
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            let reason = Self.lastError()
            if reason.contains("mismatch") {
                throw .tls("the private key \(configuration.privateKeyPath) does not match the certificate \(configuration.certificateChainPath)")
            }
            throw .tls("cannot load the private key \(configuration.privateKeyPath): \(reason)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .tls("the private key \(configuration.privateKeyPath) does not match the certificate \(configuration.certificateChainPath)")
        }
    }

    deinit { SSL_CTX_free(context) }

    /// A server-side session on an accepted socket.
    func makeSession(fd: Int32) -> OpaquePointer? {
        guard let ssl = SSL_new(context) else { return nil }
        guard SSL_set_fd(ssl, fd) == 1 else {
            SSL_free(ssl)
            return nil
        }
        SSL_set_accept_state(ssl)
        return ssl
    }

    static func lastError() -> String {
        let code = wk_err_get_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
