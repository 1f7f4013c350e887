/// The legacy SMS API's `type`: it does not detect the encoding, so any character outside GSM-7
/// must be announced with `unicode` or the text arrives mangled.
enum VonageSMSType: String, Sendable {
    case text
    case unicode

    init(for text: String) {
        self = SMSText.encoding(of: text) == .gsm7 ? .text : .unicode
    }
}
