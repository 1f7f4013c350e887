import Foundation
import Gateways
import HTTPServer

/// Renders the ack-link page as an HTTP response: the alert with its buttons, or a message
/// alone (unknown link, expired link, bad request). Every answer carries the same headers.
struct AckLinkPage: Sendable {
    enum MessageKind: String, Sendable {
        case success
        case problem
    }

    let template: AckLinkTemplate

    /// The secret is in the URL: never cached, never sent on as a Referer, never indexed, never framed.
    static let headers: HTTPHeaders = [
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Robots-Tag": "noindex, nofollow",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ]

    func alert(_ target: AckLinkTarget, message: (kind: MessageKind, text: String)?, status: HTTPStatus = .ok) -> HTTPResponse {
        let alert = target.alert
        var sections: Set<String> = ["alert"]
        let actions = AckLinkAction.allCases.filter { $0.applies(to: alert.status) }
        if !actions.isEmpty { sections.insert("actions") }
        sections.formUnion(actions.map(\.rawValue))
        if alert.status == .resolved { sections.insert("resolved") }
        var values = [
            "title": alert.summary,
            "summary": alert.summary,
            "service": target.serviceName,
            "status": alert.status.rawValue,
            "createdISO": RFC3339.format(alert.createdAt),
            "created": Self.format(alert.createdAt, in: target.timeZone),
            "acknowledgedBy": alert.acknowledgedBy.map { by in alert.acknowledgedAt.map { "\(by), \(Self.format($0, in: target.timeZone))" } ?? by } ?? "nobody yet",
            "resolvedBy": alert.resolvedBy.map { by in alert.resolvedAt.map { "\(by), \(Self.format($0, in: target.timeZone))" } ?? by } ?? "",
            "user": target.userName,
        ]
        if let message {
            sections.insert("message")
            values["message"] = message.text
            values["messageKind"] = message.kind.rawValue
        }
        return response(status: status, html: template.render(values: values, sections: sections))
    }

    /// A page with a message and no alert: for links that lead nowhere and malformed requests.
    func problem(_ status: HTTPStatus, title: String, message: String) -> HTTPResponse {
        response(status: status, html: template.render(values: ["title": title, "message": message, "messageKind": MessageKind.problem.rawValue],
                                                       sections: ["message"]))
    }

    func failure(_ failure: AckLinkTarget.Failure) -> HTTPResponse {
        switch failure {
        case .unknown:
            problem(.notFound, title: "Unknown link",
                    message: "This link is not valid. Check that it was copied whole, or open the alert in the console.")
        case .expired:
            problem(.gone, title: "Link expired",
                    message: "This link has expired: its alert was resolved more than 24 hours ago.")
        }
    }

    /// 303 to the GET page, so reloading the result never posts again.
    static func seeOther(_ location: String) -> HTTPResponse {
        var headers = Self.headers
        headers["Content-Type"] = nil
        headers["Location"] = location
        return HTTPResponse(status: HTTPStatus(code: 303), headers: headers)
    }

    private func response(status: HTTPStatus, html: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: Self.headers, body: .bytes(Array(html.utf8)))
    }

    static func format(_ date: Date, in zone: TimeZone) -> String { HumanTime.format(date, in: zone, withYear: true) }
}
