import Gateways

/// Which gateways a message may go through, in order: from the gateways file's routes (for SMS
/// the longest matching number prefix first), else every provider that supports the message's
/// contact-method type, in the order given (the console provider when there is no file).
struct OutboxRouting: Sendable {
    let providers: [any MessageProvider]
    let file: GatewaysFile?
    private let byName: [String: any MessageProvider]

    init(providers: [any MessageProvider], file: GatewaysFile? = nil) {
        self.providers = providers
        self.file = file
        byName = Dictionary(providers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func route(for type: ContactMethodType, address: String) -> [any MessageProvider] {
        if let names = file?.route(for: type, address: address) {
            return names.compactMap { byName[$0] }
        }
        return providers.filter { $0.supports(type) }
    }
}
