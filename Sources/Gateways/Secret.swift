import Foundation

/// A credential in the gateways file: `"env:NAME"` reads an environment variable, `"file:/path"`
/// a file (trailing newline dropped), anything else is the secret itself. It never prints.
public struct Secret: Decodable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String

    public init(value: String) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do throws(SecretError) {
            value = try Self.resolve(raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public static func resolve(_ raw: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(SecretError) -> String {
        if raw.hasPrefix("env:") {
            let name = String(raw.dropFirst(4))
            guard let value = environment[name], !value.isEmpty else { throw SecretError("environment variable \(name) is not set") }
            return value
        }
        if raw.hasPrefix("file:") {
            let path = String(raw.dropFirst(5))
            guard let data = FileManager.default.contents(atPath: path) else { throw SecretError("cannot read \(path)") }
            var text = String(decoding: data, as: UTF8.self)
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            guard !text.isEmpty else { throw SecretError("\(path) is empty") }
            return text
        }
        guard !raw.isEmpty else { throw SecretError("empty secret") }
        return raw
    }

    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
}

public struct SecretError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
