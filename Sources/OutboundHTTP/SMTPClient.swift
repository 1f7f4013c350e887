import CCurl
import CShims
import Foundation

/// Blocking SMTP submission on libcurl (smtp:// with STARTTLS, smtps://). Call it from a plain
/// thread (an outbox sender), never from an event loop. Each send opens its own connection:
/// pages by e-mail are few, and a fresh handle never inherits a half-closed session.
public final class SMTPClient: Sendable {
    /// Verifies servers against this PEM bundle instead of the system's (tests with their own CA).
    public let caBundlePath: String?

    public init(caBundlePath: String? = nil) {
        self.caBundlePath = caBundlePath
    }

    /// Returns the server's last reply code (250) once the message is accepted.
    @discardableResult
    public func send(_ request: SMTPClientRequest) throws(SMTPClientError) -> Int {
        let scheme = request.url.prefix { $0 != ":" }.lowercased()
        guard scheme == "smtp" || scheme == "smtps" else { throw .invalidRequest("not an smtp:// or smtps:// URL") }
        guard !request.recipients.isEmpty else { throw .invalidRequest("no recipients") }
        for address in [request.from] + request.recipients where !Self.isEnvelopeSafe(address) {
            throw .invalidRequest("\"\(address)\" is not a plain e-mail address")
        }
        CurlGlobal.initialize()
        guard let curl = curl_easy_init() else { throw .invalidRequest("libcurl could not create a handle") }
        defer { curl_easy_cleanup(curl) }

        let upload = Upload(bytes: request.message)
        let box = Unmanaged.passRetained(upload)
        defer { box.release() }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        var recipients: UnsafeMutablePointer<curl_slist>?
        for address in request.recipients { recipients = curl_slist_append(recipients, "<\(address)>") }
        defer { curl_slist_free_all(recipients) }

        let code = errorBuffer.withUnsafeMutableBufferPointer { errorPointer -> CURLcode in
            _ = wk_curl_setopt_str(curl, CURLOPT_URL, request.url)
            _ = wk_curl_setopt_str(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            _ = wk_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
            _ = wk_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, max(1, Int(request.timeout * 1000)))
            _ = wk_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(min(request.timeout, 10) * 1000)))
            _ = wk_curl_setopt_ptr(curl, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorPointer.baseAddress!))
            if scheme == "smtp" && request.requireTLS {
                // STARTTLS or nothing: a server (or a man in the middle) that drops the upgrade
                // must not get the ack links in clear text.
                _ = wk_curl_setopt_long(curl, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
            }
            if let caBundlePath { _ = wk_curl_setopt_str(curl, CURLOPT_CAINFO, caBundlePath) }
            if let username = request.username { _ = wk_curl_setopt_str(curl, CURLOPT_USERNAME, username) }
            if let password = request.password { _ = wk_curl_setopt_str(curl, CURLOPT_PASSWORD, password) }
            _ = wk_curl_setopt_str(curl, CURLOPT_MAIL_FROM, "<\(request.from)>")
            _ = wk_curl_setopt_ptr(curl, CURLOPT_MAIL_RCPT, UnsafeMutableRawPointer(recipients))
            _ = wk_curl_setopt_long(curl, CURLOPT_UPLOAD, 1)
            _ = wk_curl_setopt_off(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.message.count))
            _ = wk_curl_setopt_ptr(curl, CURLOPT_READDATA, box.toOpaque())
            _ = wk_curl_setopt_read_function(curl) { buffer, size, count, user in
                guard let buffer, let user else { return 0 }
                let upload = Unmanaged<Upload>.fromOpaque(user).takeUnretainedValue()
                let length = min(size * count, upload.bytes.count - upload.offset)
                upload.bytes.withUnsafeBytes { bytes in
                    UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + upload.offset, byteCount: length)
                }
                upload.offset += length
                return length
            }
            return curl_easy_perform(curl)
        }

        var reply = 0
        _ = wk_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &reply)
        guard code != CURLE_OK else { return reply }
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_OPERATION_TIMEDOUT: throw .timedOut
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: throw .invalidRequest(reason)
        case CURLE_USE_SSL_FAILED: throw .connectionFailed(reason)
        default:
            // The last reply tells a refused mailbox or login (5xx) from a busy server (4xx);
            // anything else failed before the server could answer.
            if (400..<600).contains(reply) { throw .rejected(code: reply, reason: reason) }
            throw .connectionFailed(reason)
        }
    }

    /// No angle brackets, line breaks or spaces: the address goes inside `<…>` on one SMTP line.
    static func isEnvelopeSafe(_ address: String) -> Bool {
        !address.isEmpty && address.utf8.count <= 254 && address.contains("@")
            && !address.contains { $0 == "<" || $0 == ">" || $0 == "\r" || $0 == "\n" || $0 == " " || $0 == "\0" }
    }
}

/// The message being read out by libcurl, on the calling thread only.
private final class Upload {
    let bytes: [UInt8]
    var offset = 0
    init(bytes: [UInt8]) { self.bytes = bytes }
}
