/// Why the gateways file cannot be used; the description names the field, e.g. "gateways file:
/// routes.sms names unknown gateway 'x'".
public struct GatewaysFileError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ detail: String) { description = "gateways file: " + detail }
}
