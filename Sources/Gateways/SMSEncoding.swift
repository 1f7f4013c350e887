/// How an SMS is carried: GSM-7 septets (160 per message, 153 per part of a longer one) or UCS-2
/// (70 / 67 UTF-16 code units).
public enum SMSEncoding: String, Sendable, Equatable {
    case gsm7
    case ucs2

    /// Room in a message of one segment.
    public var single: Int { self == .gsm7 ? 160 : 70 }
    /// Room in each part of a concatenated message (the rest holds the 6-byte header).
    public var perPart: Int { self == .gsm7 ? 153 : 67 }
}
