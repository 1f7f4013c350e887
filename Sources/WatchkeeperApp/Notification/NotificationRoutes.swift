import Foundation
import HTTPServer
import Storage

/// A user's contact methods (with verification and test messages) and notification rules:
/// `/api/v1/users/:id/contact-methods[/:methodId[/send-verification|/verify|/test]]` and
/// `/api/v1/users/:id/notification-rules[/:ruleId]`.
///
/// Roles: viewers read; responders and admins write. API keys are not linked to users, so a
/// responder cannot be limited to their own user; see docs/NOTIFICATIONS.md.
enum NotificationRoutes {
    static let bodyLimit = 16 * 1024

    static func register(on api: APIRouteBuilder, database: Database, time: any TimeSource, wake: @escaping @Sendable () -> Void) {
        let methods = ContactMethodStore(database: database, time: time)
        let verifier = ContactMethodVerifier(database: database, time: time)
        let rules = NotificationRuleStore(database: database, time: time)
        api.addSchemas(NotificationSchemas.all)
        let problem = { @Sendable (text: String) in OpenAPIOperation.Response(text, schema: .ref("Problem"), contentType: "application/problem+json") }
        let user = OpenAPIOperation.Parameter("id", in: .path, description: "User id")
        let method = OpenAPIOperation.Parameter("methodId", in: .path, description: "Contact method id")
        let rule = OpenAPIOperation.Parameter("ruleId", in: .path, description: "Notification rule id")
        let options = RouteOptions(bodyLimit: bodyLimit)
        let methodsPath = "/api/v1/users/:id/contact-methods"
        let methodPath = "\(methodsPath)/:methodId"
        let rulesPath = "/api/v1/users/:id/notification-rules"

        // MARK: contact methods

        api.add(.get, methodsPath, role: .viewer, OpenAPIOperation(
            "listContactMethods", summary: "List a user's contact methods, oldest first", tag: "notifications", parameters: [user],
            responses: [200: .init("All of the user's methods", schema: .ref("ContactMethodList")), 404: problem("No such user")])) { _, context, _ in
            try HTTPResponse.json(["items": try methods.list(userId: try context.parameter("id"))])
        }

        api.add(.post, methodsPath, role: .responder, options: options, OpenAPIOperation(
            "createContactMethod", summary: "Add a contact method; it is paged only once verified", tag: "notifications", parameters: [user],
            requestBody: .ref("ContactMethodWrite"),
            responses: [201: .init("Created, unverified; Location is its URL", schema: .ref("ContactMethod")),
                        400: problem("Invalid body; errors[].field names each member at fault"), 404: problem("No such user"),
                        409: problem("The user already has a method of this type at this address"),
                        415: problem("The body is not sent as application/json")])) { request, context, _ in
            let userId = try context.parameter("id")
            let body = try ContactMethodBody(try request.decodeJSONValue(), userId: userId, replacing: nil)
            let created = try methods.create(userId: userId, body)
            return try HTTPResponse.json(created, status: .created, headers: ["Location": "/api/v1/users/\(userId)/contact-methods/\(created.id)"])
        }

        api.add(.get, methodPath, role: .viewer, OpenAPIOperation(
            "getContactMethod", summary: "Read a contact method", tag: "notifications", parameters: [user, method],
            responses: [200: .init("The method", schema: .ref("ContactMethod")), 404: problem("No such user or method")])) { _, context, _ in
            try HTTPResponse.json(try methods.get(try context.parameter("methodId"), userId: try context.parameter("id")))
        }

        api.add(.put, methodPath, role: .responder, options: options, OpenAPIOperation(
            "replaceContactMethod", summary: "Replace a contact method with the full body sent; a new type or address must be verified again",
            tag: "notifications", parameters: [user, method], requestBody: .ref("ContactMethodWrite"),
            responses: [200: .init("Replaced", schema: .ref("ContactMethod")),
                        400: problem("Invalid body; errors[].field names each member at fault"), 404: problem("No such user or method"),
                        409: problem("The user already has another method of this type at this address"),
                        415: problem("The body is not sent as application/json")])) { request, context, _ in
            let (userId, id) = (try context.parameter("id"), try context.parameter("methodId"))
            let body = try ContactMethodBody(try request.decodeJSONValue(), userId: userId, replacing: id)
            return try HTTPResponse.json(try methods.replace(id, userId: userId, with: body))
        }

        api.add(.delete, methodPath, role: .responder, OpenAPIOperation(
            "deleteContactMethod", summary: "Delete a contact method and the notification rules that use it", tag: "notifications",
            parameters: [user, method], responses: [204: .init("Deleted"), 404: problem("No such user or method")])) { _, context, _ in
            try methods.delete(try context.parameter("methodId"), userId: try context.parameter("id"))
            return HTTPResponse(status: .noContent)
        }

        // MARK: verification and tests

        api.add(.post, "\(methodPath)/send-verification", role: .responder, OpenAPIOperation(
            "sendContactMethodVerification", summary: "Send a new 6-digit code to the method (valid 10 minutes, 5 attempts); no body",
            tag: "notifications", parameters: [user, method],
            responses: [202: .init("The code is queued for sending", schema: .ref("VerificationSent")), 404: problem("No such user or method"),
                        409: problem("The method is already verified, or disabled by its recipient"),
                        429: problem("A code was sent less than 60 seconds ago; Retry-After says when to ask again")])) { _, context, _ in
            let sent = try verifier.sendVerification(try context.parameter("methodId"), userId: try context.parameter("id"))
            wake()
            return try HTTPResponse.json(sent, status: .accepted)
        }

        api.add(.post, "\(methodPath)/verify", role: .responder, options: options, OpenAPIOperation(
            "verifyContactMethod", summary: "Verify a contact method with the code it received", tag: "notifications", parameters: [user, method],
            requestBody: ["type": "object", "required": ["code"], "additionalProperties": false,
                          "properties": ["code": ["type": "string", "pattern": "^[0-9]{6}$"]]],
            responses: [200: .init("Verified", schema: .ref("ContactMethod")),
                        400: problem("Wrong, expired or used-up code, or none pending (errors[].field is code); a dead code needs send-verification"),
                        404: problem("No such user or method"), 409: problem("The method is already verified"),
                        415: problem("The body is not sent as application/json")])) { request, context, _ in
            let code = try Self.code(in: try request.decodeJSONValue())
            return try HTTPResponse.json(try verifier.verify(try context.parameter("methodId"), userId: try context.parameter("id"), code: code))
        }

        api.add(.post, "\(methodPath)/test", role: .responder, OpenAPIOperation(
            "sendContactMethodTest", summary: "Send a test message to a verified contact method; no body", tag: "notifications",
            parameters: [user, method],
            responses: [202: .init("The test message is queued for sending", schema: .ref("TestMessageQueued")),
                        404: problem("No such user or method"), 409: problem("The method is not verified, or disabled by its recipient")])) { _, context, _ in
            let queued = try verifier.sendTest(try context.parameter("methodId"), userId: try context.parameter("id"))
            wake()
            return try HTTPResponse.json(queued, status: .accepted)
        }

        // MARK: notification rules

        api.add(.get, rulesPath, role: .viewer, OpenAPIOperation(
            "listNotificationRules", summary: "List a user's notification rules in the order they fire (by delaySeconds)", tag: "notifications",
            parameters: [user],
            responses: [200: .init("All of the user's rules", schema: .ref("NotificationRuleList")), 404: problem("No such user")])) { _, context, _ in
            try HTTPResponse.json(["items": try rules.list(userId: try context.parameter("id"))])
        }

        api.add(.post, rulesPath, role: .responder, options: options, OpenAPIOperation(
            "createNotificationRule", summary: "Add a rule: use this contact method this many seconds after the user is paged", tag: "notifications",
            parameters: [user],
            requestBody: ["type": "object", "required": ["contactMethodId", "delaySeconds"], "additionalProperties": false, "properties": [
                "contactMethodId": ["type": "string", "description": "One of the same user's contact methods"],
                "delaySeconds": ["type": "integer", "minimum": 0, "maximum": .number(Double(NotificationRule.maximumDelay))],
            ]],
            responses: [201: .init("Created; Location is its URL", schema: .ref("NotificationRule")),
                        400: problem("Invalid body, or a contact method that is not this user's; errors[].field names each member"),
                        404: problem("No such user"), 409: problem("The user already has a rule with this method and delay"),
                        415: problem("The body is not sent as application/json")])) { request, context, _ in
            let userId = try context.parameter("id")
            let body = try NotificationRuleStore.parse(try request.decodeJSONValue())
            let created = try rules.create(userId: userId, contactMethodId: body.contactMethodId, delaySeconds: body.delaySeconds)
            return try HTTPResponse.json(created, status: .created, headers: ["Location": "/api/v1/users/\(userId)/notification-rules/\(created.id)"])
        }

        api.add(.get, "\(rulesPath)/:ruleId", role: .viewer, OpenAPIOperation(
            "getNotificationRule", summary: "Read a notification rule", tag: "notifications", parameters: [user, rule],
            responses: [200: .init("The rule", schema: .ref("NotificationRule")), 404: problem("No such user or rule")])) { _, context, _ in
            try HTTPResponse.json(try rules.get(try context.parameter("ruleId"), userId: try context.parameter("id")))
        }

        api.add(.delete, "\(rulesPath)/:ruleId", role: .responder, OpenAPIOperation(
            "deleteNotificationRule", summary: "Delete a notification rule", tag: "notifications", parameters: [user, rule],
            responses: [204: .init("Deleted"), 404: problem("No such user or rule")])) { _, context, _ in
            try rules.delete(try context.parameter("ruleId"), userId: try context.parameter("id"))
            return HTTPResponse(status: .noContent)
        }
    }

    /// The `code` of a verify body: exactly six digits. A malformed code is refused before the
    /// check, so it does not use up an attempt.
    private static func code(in value: JSONValue) throws -> String {
        guard case .object(let members) = value else { throw HTTPError(.badRequest, detail: "the body must be a JSON object") }
        var errors: [ProblemDetails.FieldError] = members.keys.sorted().filter { $0 != "code" }.map {
            .init(field: $0, detail: "unknown field; the only one here is code")
        }
        var code: String?
        switch members["code"] {
        case .string(let text)? where text.count == VerificationCode.digits && text.utf8.allSatisfy({ (48...57).contains($0) }): code = text
        case nil: errors.append(.init(field: "code", detail: "is required"))
        default: errors.append(.init(field: "code", detail: "must be the \(VerificationCode.digits) digits received, as a string"))
        }
        guard errors.isEmpty, let code else {
            throw HTTPError(.badRequest, detail: errors.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: errors)
        }
        return code
    }
}
