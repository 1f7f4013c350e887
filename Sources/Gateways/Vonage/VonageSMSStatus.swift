/// A `messages[i].status` of the legacy SMS API (a string; "0" is success), and what it means
/// for the outbox. Codes from developer.vonage.com/messaging/sms/guides/troubleshooting-sms.
struct VonageSMSStatus: Sendable, Equatable {
    var code: String

    var isSuccess: Bool { code == "0" }

    /// Throttled, internal error, too many binds, communication failure: the same request may
    /// work later (or through the next gateway). Unknown codes are treated alike, so a new error
    /// fails over instead of giving up on the page.
    var isTemporary: Bool {
        switch code {
        case "1", "5", "10", "13": true
        default: !Self.permanent.keys.contains(code)
        }
    }

    /// Permanent codes that say the gateway (our account, keys, sender, callback) is at fault,
    /// not the recipient: another gateway of the route may well send it.
    var isGatewayProblem: Bool {
        ["4", "8", "9", "11", "14", "15", "19", "23", "29", "32"].contains(code)
    }

    /// Codes that will not change on a retry: bad numbers, barred numbers, account and
    /// configuration errors (which need an operator, not another attempt).
    static let permanent: [String: String] = [
        "2": "missing parameters",
        "3": "invalid parameters",
        "4": "invalid credentials",
        "6": "invalid message (unroutable number)",
        "7": "number barred",
        "8": "partner account barred",
        "9": "partner quota exceeded",
        "11": "account not enabled for HTTP",
        "12": "message too long",
        "14": "invalid signature",
        "15": "invalid sender address",
        "19": "facility not allowed",
        "20": "invalid message class",
        "22": "invalid network code",
        "23": "invalid callback URL",
        "29": "non-whitelisted destination",
        "32": "signature and API secret disallowed",
        "33": "number de-activated",
    ]

    static let temporary: [String: String] = [
        "1": "throttled",
        "5": "internal error",
        "10": "too many existing binds",
        "13": "communication failed",
    ]

    var meaning: String { Self.permanent[code] ?? Self.temporary[code] ?? "unknown status" }
}
