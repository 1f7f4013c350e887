/// A `Decoder` over one row: a keyed container whose keys are column names, and
/// single-value decoders for each column (for `RawRepresentable` enums and the like).
struct RowDecoder: Decoder {
    let row: Row
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(
            codingPath: [], debugDescription: "a row decodes into a keyed type (a struct with one property per column)"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(
            codingPath: [], debugDescription: "a row decodes into a keyed type (a struct with one property per column)"))
    }
}

private struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: Row
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { row.columns.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool {
        row.contains(key.stringValue)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try value(for: key, expected: Any?.self).isNull
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let value = try value(for: key, expected: T.self)
        return try ColumnDecoder(column: key.stringValue, value: value, codingPath: [key]).decode(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw unsupported(key)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw unsupported(key)
    }

    func superDecoder() throws -> any Decoder {
        RowDecoder(row: row)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        throw unsupported(key)
    }

    private func value<T>(for key: Key, expected: T.Type) throws -> SQLValue {
        guard row.contains(key.stringValue) else {
            throw SQLDecodingError(expected: T.self, found: nil, column: key.stringValue)
        }
        return row[key.stringValue]
    }

    private func unsupported(_ key: Key) -> DecodingError {
        .typeMismatch(Any.self, .init(
            codingPath: [key],
            debugDescription: "column '\(key.stringValue)': nested containers are not supported; decode a scalar"))
    }
}

/// Decodes one column value; also the single-value decoder handed to custom `init(from:)`.
private struct ColumnDecoder: Decoder, SingleValueDecodingContainer {
    let column: String
    let value: SQLValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            // SQLDecodable first, so Date is Unix milliseconds rather than Codable's Double.
            if let decodable = T.self as? any SQLDecodable.Type {
                return try decodable.init(sqlValue: value) as! T
            }
            return try T(from: self)
        } catch var error as SQLDecodingError {
            error.column = column
            throw error
        }
    }

    func decodeNil() -> Bool { value.isNull }

    func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }
    func decode(_ type: Float.Type) throws -> Float { Float(try Double(sqlValue: value)) }

    private func integer<T: FixedWidthInteger>() throws -> T {
        guard case .integer(let raw) = value, let exact = T(exactly: raw) else {
            throw SQLDecodingError(expected: T.self, found: value, column: column)
        }
        return exact
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch([String: Any].self, .init(
            codingPath: codingPath, debugDescription: "column '\(column)' holds a scalar, not a keyed value"))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(
            codingPath: codingPath, debugDescription: "column '\(column)' holds a scalar, not a list"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
}
