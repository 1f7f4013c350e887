import Foundation
import Testing
@testable import HTTPServer

struct Window: Codable, Equatable { var start: String; var end: String }
struct Rule: Codable, Equatable { var user: String; var windows: [Window] }
enum Urgency: String, Codable { case high, low }
struct Schedule: Codable, Equatable {
    var name: String
    var urgency: Urgency
    var layers: Int
    var rules: [Rule]
    var createdAt: Date
}

func jsonRequest(_ body: String, contentType: String? = "application/json") -> HTTPRequest {
    var headers = HTTPHeaders()
    if let contentType { headers["Content-Type"] = contentType }
    return HTTPRequest(head: HTTPRequestHead(method: .post, target: "/x", headers: headers), body: Array(body.utf8))
}

/// Decodes `body` expecting a failure, and returns the HTTPError.
func decodeFailure<T: Decodable>(_ type: T.Type, _ body: String, contentType: String? = "application/json") -> HTTPError? {
    do {
        _ = try jsonRequest(body, contentType: contentType).decodeJSON(T.self)
        Issue.record("decoding succeeded")
        return nil
    } catch let error as HTTPError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

let validSchedule = #"{"name":"SOC","urgency":"high","layers":2,"rules":[{"user":"a","windows":[{"start":"22:00","end":"06:00"}]}],"createdAt":"2026-11-23T12:00:00Z"}"#

@Suite struct JSONTests {
    @Test func decodesAValidBody() throws {
        let schedule = try jsonRequest(validSchedule).decodeJSON(Schedule.self)
        #expect(schedule.rules[0].windows[0].end == "06:00")
        #expect(schedule.createdAt == Date(timeIntervalSince1970: 1_795_435_200))
        let problem = try jsonRequest(validSchedule, contentType: "application/merge-patch+json; charset=UTF-8").decodeJSON(Schedule.self)
        #expect(problem == schedule)
    }

    @Test func missingFieldNamesItsPath() {
        let body = #"{"name":"SOC","urgency":"high","layers":2,"rules":[{"user":"a","windows":[]},{"user":"b","windows":[{"start":"x","end":"y"},{"end":"y"}]}],"createdAt":"2026-11-23T12:00:00Z"}"#
        let error = decodeFailure(Schedule.self, body)
        #expect(error?.status == .badRequest)
        #expect(error?.errors == [.init(field: "rules.1.windows.1.start", detail: "is required")])
        #expect(error?.detail == "rules.1.windows.1.start: is required")
    }

    @Test func wrongTypeSaysWhatWasExpected() {
        let wrongString = validSchedule.replacingOccurrences(of: #""user":"a""#, with: #""user":5"#)
        #expect(decodeFailure(Schedule.self, wrongString)?.errors == [.init(field: "rules.0.user", detail: "expected a string")])
        let wrongInteger = validSchedule.replacingOccurrences(of: #""layers":2"#, with: #""layers":"2""#)
        #expect(decodeFailure(Schedule.self, wrongInteger)?.errors == [.init(field: "layers", detail: "expected an integer")])
        let wrongArray = validSchedule.replacingOccurrences(of: #""windows":["#, with: #""windows":{"a":["#)
            .replacingOccurrences(of: "}]}]", with: "}]}}]")
        #expect(decodeFailure(Schedule.self, wrongArray)?.errors == [.init(field: "rules.0.windows", detail: "expected an array")])
        #expect(decodeFailure(Schedule.self, "[1]")?.errors == [.init(field: "", detail: "expected an object")])
    }

    @Test func nullAndInvalidValues() {
        let null = validSchedule.replacingOccurrences(of: #""name":"SOC""#, with: #""name":null"#)
        #expect(decodeFailure(Schedule.self, null)?.errors == [.init(field: "name", detail: "expected a string, found null")])
        let badEnum = validSchedule.replacingOccurrences(of: #""high""#, with: #""urgent""#)
        #expect(decodeFailure(Schedule.self, badEnum)?.errors == [.init(field: "urgency", detail: "invalid value")])
        let badDate = validSchedule.replacingOccurrences(of: "2026-11-23T12:00:00Z", with: "2026-11-23 12:00")
        #expect(decodeFailure(Schedule.self, badDate)?.errors == [
            .init(field: "createdAt", detail: "expected an RFC 3339 date-time such as 2026-11-23T12:00:00Z"),
        ])
    }

    @Test func fractionForAnIntegerIsA400() {
        let fraction = validSchedule.replacingOccurrences(of: #""layers":2"#, with: #""layers":2.5"#)
        let error = decodeFailure(Schedule.self, fraction)
        #expect(error?.status == .badRequest)
        #expect(error?.detail?.contains("does not fit") == true)
    }

    @Test func invalidJSONCarriesTheParserMessage() {
        let error = decodeFailure(Schedule.self, #"{"name": "SOC", oops}"#)
        #expect(error?.status == .badRequest)
        #expect(error?.detail?.hasPrefix("invalid JSON: ") == true)
        #expect(error?.detail?.contains("character") == true)
        #expect(decodeFailure(Schedule.self, #"{"name": "#)?.detail?.hasPrefix("invalid JSON") == true)
    }

    @Test func emptyBodyIsRequired() {
        let error = decodeFailure(Schedule.self, "", contentType: nil)
        #expect(error?.status == .badRequest)
        #expect(error?.detail == "request body is required")
    }

    @Test(arguments: [nil, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/jsonx", "garbage"])
    func nonJSONContentTypeIs415(_ contentType: String?) {
        #expect(decodeFailure(Schedule.self, validSchedule, contentType: contentType)?.status == .unsupportedMediaType)
    }

    @Test func responseIsJSONWithRFC3339Dates() throws {
        struct Out: Encodable { var url: String; var at: Date; var precise: Date }
        let value = Out(url: "https://x/y", at: Date(timeIntervalSince1970: 1_795_435_200),
                        precise: Date(timeIntervalSince1970: 1_795_435_200.25))
        let response = try HTTPResponse.json(value, status: .created, headers: ["Location": "/x/1"])
        #expect(response.status == .created)
        #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
        #expect(response.headers["Location"] == "/x/1")
        #expect(response.text == #"{"at":"2026-11-23T12:00:00Z","precise":"2026-11-23T12:00:00.250Z","url":"https://x/y"}"#)
        let problem = try HTTPResponse.json(["a": 1], headers: ["Content-Type": "application/problem+json"])
        #expect(problem.headers.values("Content-Type") == ["application/problem+json"])
    }

    @Test func fieldPathsForDictionariesKeepNumericLookingKeys() {
        struct Box: Decodable { var counts: [String: Int] }
        #expect(decodeFailure(Box.self, #"{"counts":{"7":"x"}}"#)?.errors.first?.field == "counts.7")
    }
}

@Suite struct JSONRFC3339Tests {
    @Test(arguments: [
        ("2026-11-23T12:00:00Z", 1_795_435_200.0),
        ("2026-11-23t12:00:00z", 1_795_435_200.0),
        ("2026-11-23T13:30:00+01:30", 1_795_435_200.0),
        ("2026-11-23T07:00:00-05:00", 1_795_435_200.0),
        ("2026-11-23T12:00:00-00:00", 1_795_435_200.0),
        ("2026-11-23T12:00:00.5Z", 1_795_435_200.5),
        ("2026-11-23T12:00:00.123456789Z", 1_795_435_200.123456789),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
        ("2000-02-29T23:59:59Z", 951_868_799.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("1969-12-31T23:59:59.5Z", -0.5),
        ("2026-01-01T00:30:00+01:00", 1_767_223_800.0),
    ])
    func parses(_ text: String, _ seconds: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test(arguments: [
        "", "garbage", "2026-11-23", "2026-11-23T12:00:00", "2026-11-23 12:00:00Z", "2026-11-23T12:00Z",
        "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T12:60:00Z", "2026-11-23T23:59:60Z",
        "2026-11-23T12:00:00.Z", "2026-11-23T12:00:00+0100", "2026-11-23T12:00:00+01", "2026-11-23T12:00:00+24:00",
        "2026-11-23T12:00:00Zjunk", " 2026-11-23T12:00:00Z", "26-11-23T12:00:00Z", "2026-1-23T12:00:00Z",
        "２０２６-11-23T12:00:00Z",
    ])
    func refuses(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatsUTCWithMillisecondsOnlyWhenNeeded() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_795_435_200)) == "2026-11-23T12:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_795_435_200.007)) == "2026-11-23T12:00:00.007Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_795_435_199.9996)) == "2026-11-23T12:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_709_164_800)) == "2024-02-29T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        // Foundation's distantPast is 1 January 1 in the Julian calendar; RFC 3339 is proleptic Gregorian.
        #expect(RFC3339.format(Date.distantPast) == "0000-12-30T00:00:00Z")
    }

    @Test func roundTripsEveryDayOfAFourHundredYearCycleAtMillisecondPrecision() throws {
        // One arbitrary instant per day across 2000–2399 covers every leap rule.
        var seconds = 946_684_800.0 + 45_296.789
        for _ in 0..<146_097 {
            let date = Date(timeIntervalSince1970: seconds)
            let parsed = try #require(RFC3339.parse(RFC3339.format(date)))
            #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.0005)
            seconds += 86_400
        }
    }

    @Test func agreesWithFoundation() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for seconds in stride(from: -2_000_000_000.0, to: 4_000_000_000.0, by: 7_777_777.0) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(RFC3339.format(date) == formatter.string(from: date))
        }
    }
}

@Suite struct JSONMediaTypeTests {
    @Test func parsesParametersAndNormalisesCase() throws {
        let type = try #require(MediaType(parsing: #"Application/JSON ; Charset="UTF-8""#))
        #expect(type.type == "application" && type.subtype == "json")
        #expect(type.charset == "UTF-8")
        #expect(type.isJSON)
        #expect(MediaType(parsing: "application/problem+json")?.isJSON == true)
        #expect(MediaType(parsing: "text/json")?.isJSON == false)
        #expect(MediaType(parsing: "json") == nil)
        #expect(MediaType(parsing: "application/json; charset") == nil)
        #expect(MediaType(parsing: "a/b/c") == nil)
        #expect(MediaType.forFileExtension("HTML").description == "text/html; charset=utf-8")
        #expect(MediaType.forFileExtension("exe").description == "application/octet-stream")
    }
}
