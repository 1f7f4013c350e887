import Foundation

// Conversions between SQLValue and the standard types the application stores.
// Decoding is strict: an INTEGER column does not silently become a String, and vice versa,
// except that Double accepts INTEGER (SQLite stores integral REAL values as integers in
// columns with INTEGER or NUMERIC affinity).

extension SQLValue: SQLEncodable, SQLDecodable {
    public var sqlValue: SQLValue { self }
    public init(sqlValue: SQLValue) { self = sqlValue }
}

extension Int64: SQLEncodable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(self) }
    public init(sqlValue: SQLValue) throws {
        guard case .integer(let value) = sqlValue else {
            throw SQLDecodingError(expected: Int64.self, found: sqlValue)
        }
        self = value
    }
}

extension Int: SQLEncodable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init(sqlValue: SQLValue) throws {
        guard case .integer(let value) = sqlValue, let exact = Int(exactly: value) else {
            throw SQLDecodingError(expected: Int.self, found: sqlValue)
        }
        self = exact
    }
}

extension Double: SQLEncodable, SQLDecodable {
    public var sqlValue: SQLValue { .real(self) }
    public init(sqlValue: SQLValue) throws {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: throw SQLDecodingError(expected: Double.self, found: sqlValue)
        }
    }
}

extension String: SQLEncodable, SQLDecodable {
    public var sqlValue: SQLValue { .text(self) }
    public init(sqlValue: SQLValue) throws {
        guard case .text(let value) = sqlValue else {
            throw SQLDecodingError(expected: String.self, found: sqlValue)
        }
        self = value
    }
}

extension Bool: SQLEncodable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public init(sqlValue: SQLValue) throws {
        switch sqlValue {
        case .integer(0): self = false
        case .integer(1): self = true
        default: throw SQLDecodingError(expected: Bool.self, found: sqlValue)
        }
    }
}

extension Array: SQLEncodable where Element == UInt8 {
    public var sqlValue: SQLValue { .blob(self) }
}

extension Array: SQLDecodable where Element == UInt8 {
    public init(sqlValue: SQLValue) throws {
        guard case .blob(let bytes) = sqlValue else {
            throw SQLDecodingError(expected: [UInt8].self, found: sqlValue)
        }
        self = bytes
    }
}

extension Data: SQLEncodable, SQLDecodable {
    public var sqlValue: SQLValue { .blob([UInt8](self)) }
    public init(sqlValue: SQLValue) throws {
        guard case .blob(let bytes) = sqlValue else {
            throw SQLDecodingError(expected: Data.self, found: sqlValue)
        }
        self = Data(bytes)
    }
}

/// Stored as INTEGER Unix milliseconds, UTC: sortable, comparable in SQL, exact to the millisecond.
extension Date: SQLEncodable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(unixMilliseconds) }

    public init(sqlValue: SQLValue) throws {
        guard case .integer(let milliseconds) = sqlValue else {
            throw SQLDecodingError(expected: Date.self, found: sqlValue)
        }
        self.init(unixMilliseconds: milliseconds)
    }

    public init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }

    /// Rounded to the nearest millisecond: `x / 1000 * 1000` is not always exactly `x` in
    /// floating point, and truncating would turn 1.001 s into 1000 ms.
    public var unixMilliseconds: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }
}

extension Optional: SQLEncodable where Wrapped: SQLEncodable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public init(sqlValue: SQLValue) throws {
        self = sqlValue.isNull ? nil : try Wrapped(sqlValue: sqlValue)
    }
}
