/// Every kind of gateway the gateways file may name.
public enum GatewayKinds {
    public static let all: [any ConfigurableGateway.Type] = [
        SMTPGateway.self,
        WebhookGateway.self,
    ]

    public static func named(_ kind: String) -> (any ConfigurableGateway.Type)? {
        all.first { $0.kind == kind }
    }
}
