import HTTPServer
import Scheduling

/// Converts the field paths of the Scheduling validators ("rules[0].windows[1].end") to the
/// dotted paths of the request body ("windows.1.end") that every other 400 of the API uses.
enum FieldPath {
    /// `field` with `prefix` ("rules[0]") removed and `[n]` written `.n`; nil when `field` is
    /// not under `prefix`.
    static func apiPath(_ field: String, under prefix: String = "") -> String? {
        var rest = Substring(field)
        if !prefix.isEmpty {
            guard rest.hasPrefix(prefix) else { return nil }
            rest = rest.dropFirst(prefix.count)
            if rest.hasPrefix(".") { rest = rest.dropFirst() } else if !rest.isEmpty && !rest.hasPrefix("[") { return nil }
        }
        var path = ""
        for character in rest {
            switch character {
            case "[": path += path.isEmpty ? "" : "."
            case "]": continue
            default: path.append(character)
            }
        }
        return path
    }

    /// The validator's errors under `prefix`, as API field errors.
    static func fieldErrors(_ errors: [ValidationError], under prefix: String = "") -> [ProblemDetails.FieldError] {
        errors.compactMap { error in
            apiPath(error.field, under: prefix).map { ProblemDetails.FieldError(field: $0, detail: error.message) }
        }
    }
}
