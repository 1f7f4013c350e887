import Foundation
import HTTPServer
import Testing
@testable import WatchkeeperApp

/// The hand-written parser against Foundation's decoder: the same value for valid documents,
/// a refusal for invalid ones.
@Suite struct JSONValueParserTests {
    static let valid = [
        #"{}"#, #"[]"#, #"null"#, #"true"#, #"false"#, #"0"#, #"-0"#, #"12.5e-3"#, #"1E+2"#, #"-123456789012"#,
        #"  {"a" : [1, 2.5, "x", null, true, {"b": {}}] }  "#,
        #"{"event_action":"trigger","dedup_key":"k-1","payload":{"summary":"bench 1","severity":"critical","custom_details":{"n":[1,[2,[3]]]}}}"#,
        #""esc \" \\ \/ \b \f \n \r \t \u00e9 \u20AC \ud83d\ude00""#, #""plain ünïcödé ✓ 😀""#, #"{"dup":1,"dup":2}"#,
    ]

    static let invalid = [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", ".5", "-", "1e", "+1", "nul", "tru",
        "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"", "\"tab\tinside\"", "[1] 2", "{\"a\":1}}", "1e999",
    ]

    @Test(arguments: valid)
    func validDocumentsMatchFoundation(_ text: String) throws {
        let ours = try JSONValueParser.parse(Array(text.utf8))
        let foundation = try JSON.decoder.decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours == foundation)
    }

    @Test(arguments: invalid)
    func invalidDocumentsAreRefused(_ text: String) {
        #expect(throws: JSONValueParser.Failure.self) { try JSONValueParser.parse(Array(text.utf8)) }
    }

    @Test func invalidUTF8AndDeepNestingAreRefused() {
        #expect(throws: JSONValueParser.Failure.self) { try JSONValueParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONValueParser.Failure.self) { try JSONValueParser.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValueParser.parse(Array(fine.utf8))) != nil)
    }

    @Test func randomDocumentsRoundTripThroughFoundationsEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        func random(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2: return .number(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 8)
            case 3: return .string(String((0..<Int.random(in: 0..<12, using: &generator)).map { _ in "aZ\"\\/\n\u{7}é😀 ".randomElement(using: &generator)! }))
            case 4: return .array((0..<Int.random(in: 0..<5, using: &generator)).map { _ in random(depth + 1) })
            default: return .object(Dictionary((0..<Int.random(in: 0..<5, using: &generator)).map { ("k\($0)", random(depth + 1)) }, uniquingKeysWith: { $1 }))
            }
        }
        for _ in 0..<300 {
            let value = random(0)
            let encoded = try JSONEncoder().encode(value)
            #expect(try JSONValueParser.parse(Array(encoded)) == value)
        }
    }
}
