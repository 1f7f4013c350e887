import Foundation

extension HTTPRequest {
    /// The body decoded with `JSON.decoder`.
    ///
    /// - 400 "request body is required" when the body is empty;
    /// - 415 when a body comes without a JSON `Content-Type` (`application/json` or `+json`, in
    ///   UTF-8 if a charset is named);
    /// - 400 naming the field (`rules.0.windows.1.start`) for a missing field, a wrong type, a
    ///   null or an invalid value; 400 with the parser's message for malformed JSON.
    public func decodeJSON<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let body = try jsonBody()
        do {
            return try JSON.decoder.decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw JSONDecodingFailure.httpError(error, body: body)
        }
    }

    /// The body, once it is known to be sent as JSON: 400 when empty, 415 without a JSON
    /// `Content-Type` (`application/json` or `+json`, in UTF-8 if a charset is named).
    public func jsonBody() throws -> [UInt8] {
        guard !body.isEmpty else {
            throw HTTPError(.badRequest, detail: "request body is required")
        }
        guard let value = headers["Content-Type"], let mediaType = MediaType(parsing: value), mediaType.isJSON,
              mediaType.charset.map({ $0.lowercased() == "utf-8" }) ?? true
        else {
            throw HTTPError(.unsupportedMediaType, detail: "the body must be JSON, sent with Content-Type: application/json")
        }
        return body
    }
}
