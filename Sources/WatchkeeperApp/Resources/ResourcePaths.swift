import Foundation
import HTTPServer

/// The two routes of a resource: its collection ("/api/v1/schedules/:id/rules") and its items
/// ("…/:ruleId"), with the parameter naming the parent for scoped resources.
struct ResourcePaths: Sendable {
    var collection: String
    /// The path parameter of one item ("id", "ruleId").
    var itemParameter: String
    /// The path parameter of the parent ("id" in /schedules/:id/rules); nil for top-level ones.
    var parentParameter: String?

    var item: String { "\(collection)/:\(itemParameter)" }

    /// The URL of one item, for `Location`.
    func location(id: String, parentId: String?) -> String {
        var path = collection
        if let parentParameter, let parentId {
            path = path.replacingOccurrences(of: ":\(parentParameter)", with: PercentEncoding.encode(parentId))
        }
        return "\(path)/\(id)"
    }
}
