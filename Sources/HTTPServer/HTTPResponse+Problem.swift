import Foundation

extension HTTPResponse {
    /// An `application/problem+json` response for `error`, with its extra headers.
    public init(error: HTTPError) {
        var headers = error.headers
        headers["Content-Type"] = ProblemDetails.contentType
        self.init(status: error.status, headers: headers, body: .bytes(Self.encodeProblem(error.problem)))
    }

    public static func problem(_ status: HTTPStatus, detail: String? = nil) -> HTTPResponse {
        HTTPResponse(error: HTTPError(status, detail: detail))
    }

    private static func encodeProblem(_ problem: ProblemDetails) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // ProblemDetails holds only strings and integers, which always encode.
        return (try? Array(encoder.encode(problem))) ?? Array(#"{"status":500,"title":"Internal Server Error"}"#.utf8)
    }
}
