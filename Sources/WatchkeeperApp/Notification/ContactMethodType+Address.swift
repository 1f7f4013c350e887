import Foundation
import Gateways

extension ContactMethodType {
    static let maximumURLLength = 2048

    /// Why `address` cannot be used for this type, or nil when it can. Only the form is checked:
    /// whether the number or mailbox exists is what verification finds out.
    func addressProblem(_ address: String) -> String? {
        switch self {
        case .sms, .voice:
            return Self.isE164(address) ? nil : "\"\(address)\" is not an E.164 phone number: + and 8 to 15 digits, such as +4791234567"
        case .email:
            return UserResource.isPlausibleEmail(address) ? nil : "\"\(address)\" is not an e-mail address such as ana@example.com"
        case .webhook:
            return Self.webhookProblem(address)
        case .slack, .teams:
            // The same rule as webhooks: the URL carries ack links, so https only (loopback aside).
            return Self.webhookProblem(address)
        }
    }

    /// `+`, then 8 to 15 digits, the first not 0 (no country code starts with 0).
    static func isE164(_ text: String) -> Bool {
        let digits = text.utf8.dropFirst()
        return text.utf8.first == UInt8(ascii: "+") && (8...15).contains(digits.count)
            && digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } && digits.first != UInt8(ascii: "0")
    }

    /// An absolute https URL. Plain http is accepted only for loopback hosts, so tests and a local
    /// receiver work while pages (which carry ack links) never cross a network in clear text.
    static func webhookProblem(_ text: String) -> String? {
        guard text.count <= maximumURLLength, !text.contains(where: { $0.isWhitespace }),
              let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { return "must be an absolute https URL such as https://hooks.example.com/watchkeeper" }
        switch scheme {
        case "https": return nil
        case "http" where isLoopback(host): return nil
        case "http": return "must use https; http is accepted only for loopback hosts (localhost, 127.0.0.1, ::1)"
        default: return "must be an https URL, not \(scheme)"
        }
    }

    private static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
