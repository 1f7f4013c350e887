import Foundation

/// SMS text fitting: the encoding and number of segments a text costs, and `fit`, which builds a
/// page from a summary and a tail (ack link, reply codes) in the fewest segments GSM-7 allows,
/// never more than `maximumSegments`. Pure, so the outbox renders with it and gateways can ask
/// how a text will travel (Vonage's legacy API needs `type=unicode` for UCS-2).
public struct SMSText: Sendable, Equatable {
    public static let maximumSegments = 3

    /// The text to send, exactly.
    public var text: String
    public var encoding: SMSEncoding
    public var segments: Int
    /// Whether the summary had to be cut.
    public var truncated: Bool

    public init(text: String, encoding: SMSEncoding, segments: Int, truncated: Bool) {
        self.text = text
        self.encoding = encoding
        self.segments = segments
        self.truncated = truncated
    }

    /// GSM-7 when every character is in its alphabet, else UCS-2.
    public static func encoding(of text: String) -> SMSEncoding {
        GSM7.canEncode(text) ? .gsm7 : .ucs2
    }

    /// The segments `text` takes when sent as is. A GSM-7 escape pair (ESC + `€`) and a UTF-16
    /// surrogate pair (an emoji) are never split between two parts, as handsets and providers do.
    public static func segments(_ text: String) -> Int {
        let units: [Int]
        let encoding = encoding(of: text)
        switch encoding {
        case .gsm7: units = GSM7.composed(text).unicodeScalars.map { GSM7.septets($0) ?? 1 }
        case .ucs2: units = text.unicodeScalars.map { $0.utf16.count }
        }
        return segments(units: units, encoding: encoding)
    }

    static func segments(units: [Int], encoding: SMSEncoding) -> Int {
        let total = units.reduce(0, +)
        if total <= encoding.single { return 1 }
        var parts = 1
        var used = 0
        for unit in units {
            if used + unit > encoding.perPart {
                parts += 1
                used = 0
            }
            used += unit
        }
        return parts
    }

    /// What is sent for `text`: as is when GSM-7; transliterated when only look-alikes (smart
    /// quotes, dashes, …) keep it from GSM-7; else as is in UCS-2.
    public static func prepared(_ text: String) -> (text: String, encoding: SMSEncoding) {
        let composed = GSM7.composed(text)
        if GSM7.canEncode(composed) { return (composed, .gsm7) }
        let plain = GSM7.transliterated(composed)
        if GSM7.canEncode(plain) { return (plain, .gsm7) }
        return (composed, .ucs2)
    }

    /// `summary`, then each line of `tail` on its own line. The summary is cut (ending in "..."
    /// or "…") only when the whole would take more than `maximumSegments`; the tail is never cut
    /// (tail lines are dropped from the end only if the tail alone cannot fit).
    public static func fit(summary: String, tail: [String], maximumSegments: Int = maximumSegments) -> SMSText {
        let summary = collapsedWhitespace(summary)
        var tail = tail.filter { !$0.isEmpty }
        func compose(_ head: String) -> String { ([head] + tail).filter { !$0.isEmpty }.joined(separator: "\n") }

        let whole = prepared(compose(summary))
        let wholeSegments = segments(whole.text)
        if wholeSegments <= maximumSegments {
            return SMSText(text: whole.text, encoding: whole.encoding, segments: wholeSegments, truncated: false)
        }
        // The tail must fit with at least a few characters of summary; drop its last lines otherwise.
        while !tail.isEmpty && segments(prepared(compose("x...")).text) > maximumSegments {
            tail.removeLast()
        }
        let characters = Array(summary)
        func candidate(_ count: Int) -> (text: String, encoding: SMSEncoding) {
            var head = String(characters[0..<count])
            while head.last?.isWhitespace == true || head.last?.isPunctuation == true && head.last != ")" { head.removeLast() }
            let gsmHead = prepared(head)
            let ellipsis = gsmHead.encoding == .gsm7 ? "..." : "…"
            return prepared(compose(head.isEmpty ? "" : head + ellipsis))
        }
        // Longest prefix that fits, by bisection: a longer prefix never takes fewer segments.
        var low = 0
        var high = characters.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if segments(candidate(middle).text) <= maximumSegments { low = middle } else { high = middle - 1 }
        }
        var best = candidate(low)
        // Clamp against the rare case where even nothing fits (a tail of one enormous line).
        if segments(best.text) > maximumSegments {
            var kept = Array(best.text)
            while segments(String(kept)) > maximumSegments { kept.removeLast() }
            best = prepared(String(kept))
        }
        return SMSText(text: best.text, encoding: best.encoding, segments: segments(best.text), truncated: true)
    }

    /// Newlines and runs of spaces inside a summary cost segments and read badly on a phone.
    static func collapsedWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
