extension HTTPResponse {
    /// `value` encoded with `JSON.encoder`, as `application/json; charset=utf-8` unless `headers`
    /// names another Content-Type.
    public static func json(_ value: some Encodable, status: HTTPStatus = .ok, headers: HTTPHeaders = [:]) throws -> HTTPResponse {
        var headers = headers
        if !headers.contains("Content-Type") { headers["Content-Type"] = JSON.contentType }
        return HTTPResponse(status: status, headers: headers, body: .bytes(Array(try JSON.encoder.encode(value))))
    }
}
