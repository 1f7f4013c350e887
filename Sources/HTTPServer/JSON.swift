import Foundation

/// The JSON coders every handler shares, so dates and escaping look the same on every endpoint.
/// Both are safe to use from many threads at once; do not change their settings.
public enum JSON {
    /// Dates as RFC 3339 UTC (`2026-11-23T12:00:00Z`, milliseconds only when non-zero); `/`
    /// unescaped; keys sorted, because the Linux encoder does not keep declaration order and
    /// stable bytes make responses diffable and cacheable.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return encoder
    }()

    /// Dates as RFC 3339 with `Z` or an offset, with or without fractional seconds.
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an RFC 3339 date-time such as 2026-11-23T12:00:00Z")
            }
            return date
        }
        return decoder
    }()

    public static let contentType = "application/json; charset=utf-8"
}
