import CCurl
import CShims
import Foundation
import Synchronization

/// Blocking HTTP/1.1 client on libcurl, for gateway and Azure calls. Call it from a plain thread
/// (an outbox sender, a poller), never from an event loop or the cooperative pool. Finished easy
/// handles are kept and reused, so calls to the same host reuse their connection.
public final class HTTPClient: Sendable {
    /// Verifies servers against this PEM bundle instead of the system's (tests with their own CA).
    public let caBundlePath: String?
    private let idle = Mutex<[UnsafeSendableHandle]>([])
    private static let maximumIdleHandles = 8

    public init(caBundlePath: String? = nil) {
        self.caBundlePath = caBundlePath
    }

    deinit {
        for handle in idle.withLock({ $0 }) { curl_easy_cleanup(handle.pointer) }
    }

    public func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        CurlGlobal.initialize()
        let handle = idle.withLock { $0.popLast() } ?? UnsafeSendableHandle(pointer: curl_easy_init())
        var reusable = true
        defer {
            if reusable {
                let kept = idle.withLock { idle -> Bool in
                    guard idle.count < Self.maximumIdleHandles else { return false }
                    idle.append(handle)
                    return true
                }
                if !kept { curl_easy_cleanup(handle.pointer) }
            } else {
                curl_easy_cleanup(handle.pointer)
            }
        }
        do throws(HTTPClientError) {
            return try perform(request, on: handle.pointer)
        } catch {
            // A handle that failed mid-exchange may hold a broken connection.
            reusable = false
            throw error
        }
    }

    private func perform(_ request: HTTPClientRequest, on curl: UnsafeMutableRawPointer?) throws(HTTPClientError) -> HTTPClientResponse {
        guard let curl else { throw .invalidRequest("libcurl could not create a handle") }
        curl_easy_reset(curl)
        let exchange = Exchange()
        let box = Unmanaged.passRetained(exchange)
        defer { box.release() }

        _ = wk_curl_setopt_str(curl, CURLOPT_URL, request.url)
        _ = wk_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
        _ = wk_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, max(1, Int(request.timeout * 1000)))
        _ = wk_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(min(request.timeout, 10) * 1000)))
        // Gateways answer directly; a redirect would be a misconfiguration, not something to follow.
        _ = wk_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 0)
        _ = wk_curl_setopt_str(curl, CURLOPT_PROTOCOLS_STR, "http,https")
        if let caBundlePath { _ = wk_curl_setopt_str(curl, CURLOPT_CAINFO, caBundlePath) }

        switch request.method {
        case "GET": _ = wk_curl_setopt_long(curl, CURLOPT_HTTPGET, 1)
        case "HEAD": _ = wk_curl_setopt_long(curl, CURLOPT_NOBODY, 1)
        default:
            _ = wk_curl_setopt_long(curl, CURLOPT_POST, 1)
            _ = wk_curl_setopt_off(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            request.body.withUnsafeBufferPointer { bytes in
                // COPYPOSTFIELDS copies, so the buffer need not outlive this call; an empty body
                // still needs a valid pointer.
                let empty: [CChar] = [0]
                if let base = bytes.baseAddress, !bytes.isEmpty {
                    _ = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { wk_curl_setopt_ptr(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0)) }
                } else {
                    empty.withUnsafeBufferPointer { _ = wk_curl_setopt_ptr(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress!)) }
                }
            }
            if request.method != "POST" { _ = wk_curl_setopt_str(curl, CURLOPT_CUSTOMREQUEST, request.method) }
        }

        // libcurl adds "Expect: 100-continue" to larger bodies, which costs a round trip.
        var list: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Expect:")
        for header in request.headers {
            guard !header.name.contains(where: { $0 == "\r" || $0 == "\n" || $0 == ":" }),
                  !header.value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                curl_slist_free_all(list)
                throw .invalidRequest("header \(header.name) contains a line break or colon")
            }
            list = curl_slist_append(list, "\(header.name): \(header.value)")
        }
        defer { curl_slist_free_all(list) }
        _ = wk_curl_setopt_ptr(curl, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list))

        _ = wk_curl_setopt_ptr(curl, CURLOPT_WRITEDATA, box.toOpaque())
        _ = wk_curl_setopt_write_function(curl) { data, size, count, user in
            let length = size * count
            guard let data, let user else { return length }
            let exchange = Unmanaged<Exchange>.fromOpaque(user).takeUnretainedValue()
            exchange.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
            return length
        }
        _ = wk_curl_setopt_ptr(curl, CURLOPT_HEADERDATA, box.toOpaque())
        _ = wk_curl_setopt_header_function(curl) { data, size, count, user in
            let length = size * count
            guard let data, let user else { return length }
            let exchange = Unmanaged<Exchange>.fromOpaque(user).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if line.hasPrefix("HTTP/") {
                // A new response (after 100 Continue): only the final one's headers count.
                exchange.headers.removeAll()
            } else if let colon = line.firstIndex(of: ":") {
                exchange.headers.append((String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                                         String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
            return length
        }

        let code = curl_easy_perform(curl)
        switch code {
        case CURLE_OK: break
        case CURLE_OPERATION_TIMEDOUT: throw .timedOut
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: throw .invalidRequest(String(cString: curl_easy_strerror(code)))
        default: throw .connectionFailed(String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        _ = wk_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return HTTPClientResponse(status: status, headers: exchange.headers, body: exchange.body)
    }
}

/// Filled by libcurl's callbacks on the calling thread only.
private final class Exchange {
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
}

/// An idle easy handle; only ever used by one thread at a time (taken from and returned to the pool).
private struct UnsafeSendableHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer?
}
