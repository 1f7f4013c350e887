import CCurl

/// libcurl's global state, set up on the first transfer rather than when a client is built:
/// `curl_global_init` initialises OpenSSL and curl's other back ends, which touches megabytes of
/// their code that a server with no outbound calls yet need not keep resident.
enum CurlGlobal {
    /// `static let` runs the initialiser once, thread-safely, before any handle exists
    /// (`curl_global_init` itself must not race with other curl calls).
    private static let initialized: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    static func initialize() { initialized }
}
