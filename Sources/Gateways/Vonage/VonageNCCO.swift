import Foundation

/// Call control objects (NCCOs) for a voice page: the script read out, interruptible by a key,
/// then one DTMF key collected and posted to `input/{messageId}`.
enum VonageNCCO {
    static let choices = "Press 1 to acknowledge, 2 to escalate, 3 to resolve."

    /// The page itself; without keys (a notice, a verification code) it is read twice.
    static func page(script: VoiceScript, language: String, inputURL: String, keyTimeout: Int) -> [[String: any Sendable]] {
        guard script.acceptsKeys else {
            return [["action": "talk", "text": script.text, "language": language, "loop": 2]]
        }
        return prompt(text: "\(script.text) \(choices)", language: language, inputURL: inputURL, keyTimeout: keyTimeout)
    }

    static func prompt(text: String, language: String, inputURL: String, keyTimeout: Int) -> [[String: any Sendable]] {
        [
            ["action": "talk", "text": text, "language": language, "bargeIn": true],
            ["action": "input", "type": ["dtmf"],
             "dtmf": ["maxDigits": 1, "timeOut": keyTimeout, "submitOnHash": false] as [String: any Sendable],
             "eventUrl": [inputURL], "eventMethod": "POST"],
        ]
    }

    /// Says `text`; the call ends when the NCCO does.
    static func say(_ text: String, language: String) -> [[String: any Sendable]] {
        [["action": "talk", "text": text, "language": language]]
    }

    static func json(_ value: Any) -> [UInt8] {
        // Only strings, numbers, booleans, arrays and dictionaries go in, which always serialize.
        (try? Array(JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))) ?? Array("[]".utf8)
    }
}
