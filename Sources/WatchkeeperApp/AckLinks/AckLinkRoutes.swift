import Foundation
import Gateways
import HTTPServer
import Storage

/// `/a/{token}`: the link in every page. GET shows the alert and three buttons and never changes
/// anything (messengers fetch links for previews); POST, from those buttons, acts as the user the
/// token was issued to (method `link`) and redirects back to the GET page. The token is the only
/// credential, so the route is outside API-key authentication and keeps its path out of the logs.
enum AckLinkRoutes {
    /// A button's form is a few dozen bytes.
    static let bodyLimit = 4 * 1024
    static let method = "link"

    static func register(on api: APIRouteBuilder, database: Database, time: any TimeSource, publicDirectory: String,
                         wake: @escaping @Sendable () -> Void) {
        let store = AlertStore(database: database, time: time)
        let page = AckLinkPage(template: AckLinkTemplate(publicDirectory: publicDirectory) ?? .builtIn)
        let options = RouteOptions(bodyLimit: bodyLimit, pathHoldsSecret: true)
        let token = OpenAPIOperation.Parameter("token", in: .path, description: "The ack-link token from the message")
        let html = { @Sendable (text: String) in OpenAPIOperation.Response(text, contentType: "text/html") }

        api.addPublic(.get, "/a/:token", options: options, OpenAPIOperation(
            "showAckLink", summary: "The ack-link page: the alert and its buttons, as HTML; never changes anything", tag: "ack-links",
            parameters: [token, .init("done", in: .query, description: "Set by the redirect after a button: the action that succeeded")],
            responses: [200: html("The page"), 404: html("Unknown token"), 410: html("The alert was resolved more than 24 hours ago")])) { request, context in
            let secret = context.parameters["token"] ?? ""
            let target: AckLinkTarget
            do {
                let now = time.now()
                target = try database.read { db in try AckLinkTarget.load(token: secret, now: now, db: db) }
            } catch let failure as AckLinkTarget.Failure {
                return page.failure(failure)
            }
            // Only a message the alert's state agrees with, so a crafted `?done=` cannot claim a false success.
            var message: (kind: AckLinkPage.MessageKind, text: String)?
            if let done = request.query("done").flatMap(AckLinkAction.init(rawValue:)), confirms(done, target.alert.status) {
                message = (.success, "\(done.done.prefix(1).uppercased())\(done.done.dropFirst()).")
            }
            return page.alert(target, message: message)
        }

        api.addPublic(.post, "/a/:token", options: options, OpenAPIOperation(
            "actOnAckLink", summary: "A button of the ack-link page: form field action=acknowledge|resolve|escalate (application/x-www-form-urlencoded)",
            tag: "ack-links", parameters: [token],
            responses: [303: .init("Done; see the page"), 400: html("No or an unknown action"), 404: html("Unknown token"),
                        409: html("Not possible in the alert's state (already acknowledged or resolved)"),
                        410: html("The alert was resolved more than 24 hours ago"), 413: .init("Body larger than 4 KiB"),
                        415: html("Not a form body")])) { request, context in
            let secret = context.parameters["token"] ?? ""
            let load = { () throws -> AckLinkTarget in
                let now = time.now()
                return try database.read { db in try AckLinkTarget.load(token: secret, now: now, db: db) }
            }
            let target: AckLinkTarget
            do { target = try load() } catch let failure as AckLinkTarget.Failure { return page.failure(failure) }

            let contentType = request.headers["Content-Type"]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            guard contentType == "application/x-www-form-urlencoded" else {
                return page.problem(.unsupportedMediaType, title: "Not a form", message: "Send the page's form (application/x-www-form-urlencoded).")
            }
            guard let raw = FormBody(request.body)?["action"], let action = AckLinkAction(rawValue: raw) else {
                return page.problem(.badRequest, title: "Unknown action", message: "Choose acknowledge, resolve or escalate.")
            }
            let id = target.alert.id
            do {
                switch action {
                case .acknowledge: _ = try store.change(id, to: .acknowledged, actor: target.userName, method: method, actorUserId: target.userId)
                case .resolve: _ = try store.change(id, to: .resolved, actor: target.userName, method: method, actorUserId: target.userId)
                case .escalate: _ = try store.escalate(id, actor: target.userName, method: method)
                }
            } catch let error as HTTPError where error.status == .conflict {
                // Show the alert as it is now, and who got there first.
                let current = (try? load()) ?? target
                return page.alert(current, message: (.problem, conflictMessage(action, current.alert) ?? error.detail ?? "Not possible now."),
                                  status: .conflict)
            } catch let error as HTTPError where error.status == .notFound {
                return page.failure(.unknown)
            }
            wake()
            return AckLinkPage.seeOther("/a/\(secret)?done=\(action.rawValue)")
        }
    }

    /// Whether an alert in `status` agrees that `action` happened.
    static func confirms(_ action: AckLinkAction, _ status: AlertStatus) -> Bool {
        switch action {
        case .acknowledge: status != .triggered
        case .resolve: status == .resolved
        case .escalate: true
        }
    }

    /// "Already acknowledged by Ana." for an action the alert's state forbids; nil when the state
    /// does not explain the refusal (escalation refused for another reason).
    static func conflictMessage(_ action: AckLinkAction, _ alert: Alert) -> String? {
        switch (action, alert.status) {
        case (_, .resolved):
            "Already resolved by \(alert.resolvedBy ?? "someone")."
        case (.acknowledge, .acknowledged):
            "Already acknowledged by \(alert.acknowledgedBy ?? "someone")."
        default:
            nil
        }
    }
}
