import Foundation

/// Turns a `DecodingError` into the 400 a client can act on.
enum JSONDecodingFailure {
    static func httpError(_ error: DecodingError, body: [UInt8]) -> HTTPError {
        switch error {
        case .keyNotFound(let key, let context):
            return fieldError(context.codingPath + [key], "is required")
        case .valueNotFound(let type, let context):
            return fieldError(context.codingPath, "expected \(describe(type)), found null")
        case .typeMismatch(let type, let context):
            return fieldError(context.codingPath, "expected \(describe(type))")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            // Foundation's message for a bad enum raw value names Swift types; say it plainly.
            let detail = context.debugDescription.hasPrefix("Cannot initialize ") ? "invalid value" : context.debugDescription
            return fieldError(context.codingPath, detail)
        case .dataCorrupted(let context):
            return HTTPError(.badRequest, detail: syntaxProblem(body) ?? rootProblem(context))
        @unknown default:
            return HTTPError(.badRequest, detail: "invalid request body")
        }
    }

    /// Dotted path: object keys by name, array elements by index (`rules.0.windows.1.start`).
    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { key in
            // Array positions have an intValue and a stringValue like "Index 0"; dictionary keys
            // that look like numbers keep their own text.
            if let index = key.intValue, key.stringValue != String(index) { return String(index) }
            return key.stringValue
        }.joined(separator: ".")
    }

    private static func fieldError(_ codingPath: [any CodingKey], _ detail: String) -> HTTPError {
        let field = path(codingPath)
        return HTTPError(.badRequest, detail: field.isEmpty ? "body: \(detail)" : "\(field): \(detail)",
                         errors: [.init(field: field, detail: detail)])
    }

    /// The JSON parser's own message for malformed JSON. JSONDecoder on Linux reports only "not
    /// valid JSON", so the rare failing body is parsed once more to say where.
    private static func syntaxProblem(_ body: [UInt8]) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
            return nil
        } catch {
            let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return "invalid JSON" + (message.map { ": \($0)" } ?? "")
        }
    }

    /// Well-formed JSON that the decoder still refused without a path: JSONDecoder on Linux
    /// reports a number that does not fit its field (1.5 for an integer, 1e40 for an Int64) this way.
    private static func rootProblem(_ context: DecodingError.Context) -> String {
        context.debugDescription == "The given data was not valid JSON."
            ? "a number does not fit its field (a fraction where an integer is expected, or out of range)"
            : context.debugDescription
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type, is Character.Type: "a string"
        case is Bool.Type: "true or false"
        case is any BinaryInteger.Type: "an integer"
        case is any BinaryFloatingPoint.Type, is Decimal.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        case is Date.Type: "an RFC 3339 date-time string"
        default: "a value of type \(type)"
        }
    }
}
