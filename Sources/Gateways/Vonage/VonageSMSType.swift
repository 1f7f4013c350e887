import Foundation

/// The legacy SMS API's `type`: it does not detect the encoding, so any character outside GSM-7
/// must be announced with `unicode` or the text arrives mangled.
enum VonageSMSType: String, Sendable {
    case text
    case unicode

    init(for text: String) {
        self = text.precomposedStringWithCanonicalMapping.unicodeScalars.allSatisfy(Self.gsm7.contains) ? .text : .unicode
    }

    /// The GSM 03.38 basic set and its extension table (which Vonage's `text` type includes).
    private static let gsm7: Set<Unicode.Scalar> = Set(
        ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
            + "\u{0C}^{}\\[~]|€").unicodeScalars)
}
