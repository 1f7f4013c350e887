import Foundation

/// The GSM 03.38 default alphabet (what an SMS can carry in 7-bit septets) and the few
/// look-alikes we replace so a page stays GSM-7: one smart quote would otherwise switch the whole
/// message to UCS-2 and cut its room from 160 to 70 characters.
public enum GSM7 {
    /// The basic character set: one septet each (ESC, 0x1B, left out: it only introduces the extension table).
    static let basic: Set<Unicode.Scalar> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
            .unicodeScalars)
    /// The extension table: ESC + the character, two septets each.
    static let extended: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)

    /// Septets `scalar` takes (1 or 2), or nil when GSM-7 cannot carry it.
    public static func septets(_ scalar: Unicode.Scalar) -> Int? {
        if basic.contains(scalar) { return 1 }
        if extended.contains(scalar) { return 2 }
        return nil
    }

    /// Whether every character of `text` is in the GSM-7 alphabet (after canonical composition,
    /// so a decomposed "é" counts as the GSM-7 "é").
    public static func canEncode(_ text: String) -> Bool {
        composed(text).unicodeScalars.allSatisfy { septets($0) != nil }
    }

    /// Septets of `text`; nil when it is not GSM-7.
    public static func septetCount(_ text: String) -> Int? {
        var total = 0
        for scalar in composed(text).unicodeScalars {
            guard let count = septets(scalar) else { return nil }
            total += count
        }
        return total
    }

    /// `text` with typographic look-alikes replaced by GSM-7 characters (what Twilio's
    /// SmartEncoded does): quotes, dashes, ellipsis, unusual spaces, bullets. Anything else is kept.
    public static func transliterated(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in composed(text).unicodeScalars {
            if let replacement = lookAlikes[scalar] {
                out.append(contentsOf: replacement.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func composed(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    static let lookAlikes: [Unicode.Scalar: String] = [
        "\u{2018}": "'", "\u{2019}": "'", "\u{201A}": "'", "\u{201B}": "'", "\u{2032}": "'", "\u{00B4}": "'", "`": "'",
        "\u{201C}": "\"", "\u{201D}": "\"", "\u{201E}": "\"", "\u{201F}": "\"", "\u{2033}": "\"", "\u{00AB}": "\"", "\u{00BB}": "\"",
        "\u{2010}": "-", "\u{2011}": "-", "\u{2012}": "-", "\u{2013}": "-", "\u{2014}": "-", "\u{2015}": "-", "\u{2212}": "-",
        "\u{2026}": "...",
        "\u{00A0}": " ", "\u{2002}": " ", "\u{2003}": " ", "\u{2007}": " ", "\u{2009}": " ", "\u{200A}": " ", "\u{202F}": " ",
        "\u{205F}": " ", "\u{3000}": " ", "\t": " ",
        "\u{200B}": "", "\u{FEFF}": "", "\u{00AD}": "",
        "\u{2022}": "-", "\u{00B7}": ".",
        "ç": "Ç",
    ]
}
