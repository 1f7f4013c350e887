import HTTPServer

/// An `application/x-www-form-urlencoded` body, as browsers send a `<form method="post">`.
struct FormBody: Sendable {
    let fields: [(name: String, value: String)]

    /// Nil when the body is not valid form encoding (a malformed `%` escape, not UTF-8).
    init?(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        var fields: [(String, String)] = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentEncoding.decode(String(parts[0]), plusAsSpace: true),
                  let value = PercentEncoding.decode(parts.count > 1 ? String(parts[1]) : "", plusAsSpace: true) else { return nil }
            fields.append((name, value))
        }
        self.fields = fields
    }

    /// The first value of `name`.
    subscript(name: String) -> String? { fields.first { $0.name == name }?.value }
}
