import ArgumentParser
import CCurl
import CShims
import WatchkeeperApp

/// For container health checks: the runtime image has no curl binary, but the server links
/// libcurl anyway, so the binary checks itself.
struct Healthcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when the local server answers GET /healthz with 200 (for container health checks)."
    )

    @OptionGroup var options: ServerOptions

    func run() throws {
        let configuration = try options.resolve()
        let host = ["0.0.0.0", "::"].contains(configuration.listenHost) ? "127.0.0.1" : configuration.listenHost
        let scheme = configuration.tlsCertificatePath == nil ? "http" : "https"
        let authority = host.contains(":") ? "[\(host)]" : host
        let url = "\(scheme)://\(authority):\(configuration.listenPort)/healthz"

        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        guard let handle = curl_easy_init() else { throw ExitCode(1) }
        defer { curl_easy_cleanup(handle) }
        _ = wk_curl_setopt_str(handle, CURLOPT_URL, url)
        _ = wk_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, 3000)
        _ = wk_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        // Our own process on loopback, possibly with a certificate issued for another name.
        _ = wk_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
        _ = wk_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        _ = wk_curl_setopt_write_function(handle) { _, size, count, _ in size * count }
        let result = curl_easy_perform(handle)
        var status = 0
        _ = wk_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        guard result == CURLE_OK, status == 200 else {
            print("unhealthy: \(url) " + (result == CURLE_OK ? "answered \(status)" : String(cString: curl_easy_strerror(result))))
            throw ExitCode(1)
        }
        print("healthy: \(url)")
    }
}
