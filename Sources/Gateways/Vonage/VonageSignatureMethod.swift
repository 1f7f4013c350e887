/// How the account signs SMS webhooks (`sig`), as chosen in the Vonage dashboard.
enum VonageSignatureMethod: String, Decodable, Sendable {
    /// HMAC-SHA256 over the sorted parameters (our default; the dashboard offers it).
    case sha256
    /// HMAC-SHA1 over the same string.
    case sha1
    /// Vonage's historical default: MD5 of the string followed by the secret.
    case md5hash
}
