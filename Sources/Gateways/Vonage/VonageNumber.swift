/// Vonage writes phone numbers as E.164 digits without the "+"; we store them with it.
enum VonageNumber {
    /// "+447700900123" or "447700900123" → "447700900123"; nil for anything else.
    static func wire(_ e164: String) -> String? {
        let digits = e164.hasPrefix("+") ? e164.dropFirst() : Substring(e164)
        guard (7...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(digits)
    }

    /// A sender: a number as above, or an alphanumeric sender ID (kept as written).
    static func sender(_ from: String) -> String {
        wire(from) ?? from
    }

    /// "447700900123" → "+447700900123"; anything else (an alphanumeric sender ID) as sent.
    static func e164(_ wire: String) -> String {
        !wire.isEmpty && wire.allSatisfy({ $0.isASCII && $0.isNumber }) ? "+" + wire : wire
    }
}
