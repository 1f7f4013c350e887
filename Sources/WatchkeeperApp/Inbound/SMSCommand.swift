import Foundation

/// What an inbound SMS asks for. Reply codes like GoAlert's: "1a" acknowledges the alert with
/// code 1, "1c" closes (resolves) it, "1e" escalates it; a bare "a"/"c"/"e" acts on the last
/// alert sent to the number; "aa"/"cc" on every alert of the last message (a bundle). Spaces,
/// case and quotes do not matter ("1A", " 'a' ", "1 a"). The carriers' opt-out and opt-in
/// keywords are recognised first and are never commands.
enum SMSCommand: Equatable {
    enum Action: Equatable {
        case acknowledge, close, escalate
    }

    /// `code` nil: the last alert sent to the number.
    case act(code: Int?, action: Action)
    /// Every alert of the last message.
    case all(Action)
    /// STOP and its synonyms: the carrier or provider has blocked us; disable the method.
    case optOut
    /// START/UNSTOP: the number takes messages again.
    case optIn
    case unknown

    static let optOutWords: Set<String> = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
    static let optInWords: Set<String> = ["START", "UNSTOP"]
    static let quotes: Set<Character> = ["'", "\"", "`", "‘", "’", "“", "”", "„", "«", "»"]

    init(parsing text: String) {
        // Carriers match the keyword alone (maybe with surrounding spaces or a full stop), any case.
        var word = text.trimmingCharacters(in: .whitespacesAndNewlines).filter { !Self.quotes.contains($0) }.uppercased()
        while word.last == "." || word.last == "!" { word.removeLast() }
        if Self.optOutWords.contains(word) { self = .optOut; return }
        if Self.optInWords.contains(word) { self = .optIn; return }

        let compact = text.lowercased().filter { !$0.isWhitespace && !Self.quotes.contains($0) }
        let digits = compact.prefix { $0.isASCII && $0.isNumber }
        let rest = compact.dropFirst(digits.count)
        func action(_ letter: Character) -> Action? {
            switch letter {
            case "a": .acknowledge
            case "c": .close
            case "e": .escalate
            default: nil
            }
        }
        if digits.isEmpty, rest.count == 2, rest.first == rest.last, let letter = rest.first, letter != "e", let action = action(letter) {
            self = .all(action)
            return
        }
        guard rest.count == 1, let letter = rest.first, let action = action(letter), digits.count <= 3 else {
            self = .unknown
            return
        }
        self = .act(code: digits.isEmpty ? nil : Int(digits), action: action)
    }
}
