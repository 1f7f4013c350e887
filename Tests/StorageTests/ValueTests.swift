import Foundation
import Storage
import Testing

@Suite struct ValueTests {
    @Test func everyTypeRoundTripsThroughBindingsAndColumns() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("values.db"))
        defer { database.close() }
        let date = Date(unixMilliseconds: 1_767_225_600_123)
        let bytes: [UInt8] = [0, 1, 2, 254, 255]
        let row = try database.write { connection -> Row? in
            try connection.execute("CREATE TABLE v (i, i64min, i64max, d, s, unicode, nul, empty, yes, no, b, emptyb, data, date, none, some)")
            try connection.run("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                SQLValue(42), SQLValue(Int64.min), SQLValue(Int64.max), SQLValue(-1.5), SQLValue("plain"),
                SQLValue("Zürich ☎︎ 東京"), SQLValue("a\u{0}b"), SQLValue(""), SQLValue(true), SQLValue(false),
                SQLValue(bytes), SQLValue([UInt8]()), SQLValue(Data(bytes)), SQLValue(date),
                SQLValue(Optional<Int>.none), SQLValue(Optional("here")),
            ])
            return try connection.queryOne("SELECT * FROM v")
        }
        let v = try #require(row)
        #expect(try v.get("i", as: Int.self) == 42)
        #expect(try v.get("i64min", as: Int64.self) == .min)
        #expect(try v.get("i64max", as: Int64.self) == .max)
        #expect(try v.get("d", as: Double.self) == -1.5)
        #expect(try v.get("s", as: String.self) == "plain")
        #expect(try v.get("unicode", as: String.self) == "Zürich ☎︎ 東京")
        #expect(try v.get("nul", as: String.self) == "a\u{0}b")
        #expect(try v.get("empty", as: String.self) == "")
        #expect(v["empty"] == .text(""))
        #expect(try v.get("yes", as: Bool.self) == true)
        #expect(try v.get("no", as: Bool.self) == false)
        #expect(try v.get("b", as: [UInt8].self) == bytes)
        #expect(v["emptyb"] == .blob([]))
        #expect(try v.get("data", as: Data.self) == Data(bytes))
        #expect(try v.get("date", as: Date.self) == date)
        #expect(try v.get("none", as: Int?.self) == nil)
        #expect(v["none"] == .null)
        #expect(try v.get("some", as: String?.self) == "here")
    }

    @Test func datesAreIntegerUnixMilliseconds() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("dates.db"))
        defer { database.close() }
        // 1.001 s is 1000.9999… ms in floating point: truncation would store 1000.
        let dates = [Date(timeIntervalSince1970: 1.001), Date(timeIntervalSince1970: -0.5), Date(unixMilliseconds: 1_700_000_000_999)]
        let rows = try database.write { connection in
            try connection.execute("CREATE TABLE d (at)")
            for date in dates { try connection.run("INSERT INTO d VALUES (?)", [SQLValue(date)]) }
            return try connection.query("SELECT at, typeof(at) AS type FROM d ORDER BY rowid")
        }
        #expect(rows.map { $0["type"] } == ["integer", "integer", "integer"])
        #expect(rows.map { $0["at"] } == [1001, -500, 1_700_000_000_999])
        #expect(try rows.map { try $0.get("at", as: Date.self) } == dates)
    }

    @Test func literalsBuildTheExpectedValues() {
        let values: [SQLValue] = [nil, 7, 2.5, "text", true, false]
        #expect(values == [.null, .integer(7), .real(2.5), .text("text"), .integer(1), .integer(0)])
        #expect(SQLValue(Optional<Date>.none) == .null)
        #expect(SQLValue(Data([1, 2])) == .blob([1, 2]))
    }

    @Test func decodingErrorsNameTheColumn() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("errors.db"))
        defer { database.close() }
        let row = try #require(try database.read { try $0.queryOne("SELECT 'abc' AS name, 2 AS flag, NULL AS missing_value") })
        let mismatch = #expect(throws: SQLDecodingError.self) { try row.get("name", as: Int.self) }
        #expect(mismatch?.column == "name")
        #expect(mismatch?.found == .text("abc"))
        #expect(String(describing: mismatch).contains("column 'name'"))
        let notBool = #expect(throws: SQLDecodingError.self) { try row.get("flag", as: Bool.self) }
        #expect(notBool?.column == "flag")
        let null = #expect(throws: SQLDecodingError.self) { try row.get("missing_value", as: String.self) }
        #expect(null?.found == .null)
        let absent = #expect(throws: SQLDecodingError.self) { try row.get("nope", as: String.self) }
        #expect(absent?.column == "nope")
        #expect(absent?.found == nil)
    }

    @Test func wrongNumberOfBindingsIsAnError() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("bindings.db"))
        defer { database.close() }
        let error = #expect(throws: SQLiteError.self) { try database.read { try $0.query("SELECT ?, ?", [1]) } }
        #expect(error?.message.contains("2 parameters but 1") == true)
    }

    @Test func statementsBeyondTheCacheCapacityStillRunCorrectly() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("cache.db"))
        defer { database.close() }
        // 300 distinct texts evict from the 128-entry cache; each must still bind and reset cleanly.
        let sums = try database.read { connection in
            try (0..<600).map { index -> Int in
                let sql = "SELECT ? + \(index % 300) AS n"
                return try connection.queryOne(sql, [.integer(Int64(index))])?.get("n", as: Int.self) ?? -1
            }
        }
        #expect(sums == (0..<600).map { $0 + $0 % 300 })
    }
}
