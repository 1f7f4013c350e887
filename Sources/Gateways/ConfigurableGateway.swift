import Foundation
import HTTPServer
import Logging
import OutboundHTTP

/// A gateway that can be named in the gateways file (`--gateways`, docs/GATEWAYS.md). Each kind
/// decodes its own settings and may mount routes the provider calls back (inbound SMS, key presses,
/// status callbacks), each authenticated by the provider's signature, under
/// `/providers/{kind}/{name}/…`.
public protocol ConfigurableGateway: MessageProvider {
    /// The `kind` in the gateways file ("twilio", "vonage", "smtp", "webhook").
    static var kind: String { get }
    /// `settings` is the gateway's JSON object from the file, whole (`name` and `kind` included).
    init(name: String, settings: Data, context: GatewayContext) throws
    func registerInbound(on router: inout Router, events: any InboundEvents)
}

extension ConfigurableGateway {
    public func registerInbound(on router: inout Router, events: any InboundEvents) {}
}

/// What every gateway may use: where the server is reachable from outside (for callback URLs and
/// signature checks), the outbound HTTP client, a logger and the clock.
public struct GatewayContext: Sendable {
    /// Without a trailing slash, e.g. "https://pager.example.eu".
    public var publicURL: String
    public var http: HTTPClient
    public var logger: Logger
    public var now: @Sendable () -> Date

    public init(publicURL: String, http: HTTPClient, logger: Logger, now: @escaping @Sendable () -> Date) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.http = http
        self.logger = logger
        self.now = now
    }
}
