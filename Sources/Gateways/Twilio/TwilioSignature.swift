import Cryptography
import Foundation

/// `X-Twilio-Signature`: base64(HMAC-SHA1(AuthToken, URL + every POST parameter's name and value,
/// sorted by name)). The URL is the one Twilio called, query string as sent: behind a reverse
/// proxy that is the public URL, never one rebuilt from the Host header. JSON bodies sign the URL
/// alone, which carries `bodySHA256` (hex SHA-256 of the body).
enum TwilioSignature {
    /// The signature of a form POST to `url` with `parameters` (decoded values, repeats allowed).
    static func compute(url: String, parameters: [(name: String, value: String)], authToken: String) -> String {
        // Sorted by name in code-point order ("To" < "msg"); a repeated name's values sorted too,
        // as Twilio's own libraries do.
        let sorted = parameters.sorted { $0.name == $1.name ? Array($0.value.utf8).lexicographicallyPrecedes($1.value.utf8)
                                                             : Array($0.name.utf8).lexicographicallyPrecedes($1.name.utf8) }
        var message = Array(url.utf8)
        var previous: (name: String, value: String)?
        for parameter in sorted {
            // The libraries sign a repeated name's distinct values (`sorted(set(values))`).
            if let previous, previous == parameter { continue }
            previous = parameter
            message += parameter.name.utf8
            message += parameter.value.utf8
        }
        let mac = HMAC.sha1(key: Array(authToken.utf8), message: message)
        return Data(mac).base64EncodedString()
    }

    /// Whether `signature` is valid for a form POST to `url`. Like Twilio's libraries, the URL is
    /// also tried with the default port written out and left out, since Twilio signs either way.
    static func isValid(signature: String, url: String, parameters: [(name: String, value: String)], authToken: String) -> Bool {
        let presented = Array(signature.utf8)
        var valid = false
        // Every variant is computed and compared, so the time taken does not depend on which matched.
        for candidate in urlVariants(url) {
            let expected = compute(url: candidate, parameters: parameters, authToken: authToken)
            if constantTimeEquals(Array(expected.utf8), presented) { valid = true }
        }
        return valid
    }

    /// Whether `signature` is valid for a JSON POST to `url`: the URL alone is signed, and its
    /// `bodySHA256` must be the body's hash.
    static func isValidJSON(signature: String, url: String, body: [UInt8], authToken: String) -> Bool {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first,
              let hash = query.split(separator: "&").first(where: { $0.hasPrefix("bodySHA256=") })?.dropFirst("bodySHA256=".count)
        else { return false }
        let signed = isValid(signature: signature, url: url, parameters: [], authToken: authToken)
        let bodyMatches = constantTimeEquals(Array(Hex.encode(Digest.sha256(body)).utf8), Array(hash.lowercased().utf8))
        return signed && bodyMatches
    }

    /// `url` as given, plus the same URL with the scheme's default port added (or removed).
    static func urlVariants(_ url: String) -> [String] {
        guard let schemeEnd = url.range(of: "://") else { return [url] }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let defaultPort = scheme == "https" ? "443" : scheme == "http" ? "80" : nil
        guard let defaultPort else { return [url] }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        let rest = afterScheme[authorityEnd...]
        let prefix = url[..<schemeEnd.upperBound]
        // "[::1]:443" or "host:443": a port follows the last colon after any IPv6 bracket.
        let hostEnd = authority.lastIndex(of: "]") ?? authority.startIndex
        if let colon = authority[hostEnd...].lastIndex(of: ":") {
            guard authority[authority.index(after: colon)...] == defaultPort else { return [url] }
            return [url, String(prefix + authority[..<colon] + rest)]
        }
        return [url, String(prefix + authority + ":" + defaultPort + rest)]
    }
}
