import Foundation

/// An integration key as the API shows it: never the secret, which exists only at creation.
struct IntegrationKey: Codable, Sendable, Equatable {
    var id: String
    var serviceId: String
    var name: String
    var format: IntegrationFormat
    /// The first characters of the secret, so an admin can tell keys apart.
    var prefix: String
    var createdAt: Date
    var revokedAt: Date?

    private enum CodingKeys: String, CodingKey { case id, serviceId, name, format, prefix, createdAt, revokedAt }

    init(id: String, serviceId: String, name: String, format: IntegrationFormat, prefix: String, createdAt: Date, revokedAt: Date?) {
        (self.id, self.serviceId, self.name, self.format, self.prefix, self.createdAt, self.revokedAt) = (id, serviceId, name, format, prefix, createdAt, revokedAt)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        serviceId = try container.decode(String.self, forKey: .serviceId)
        name = try container.decode(String.self, forKey: .name)
        format = try container.decode(IntegrationFormat.self, forKey: .format)
        prefix = try container.decode(String.self, forKey: .prefix)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        revokedAt = try container.decodeIfPresent(Date.self, forKey: .revokedAt)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(serviceId, forKey: .serviceId)
        try container.encode(name, forKey: .name)
        try container.encode(format, forKey: .format)
        try container.encode(prefix, forKey: .prefix)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(revokedAt, forKey: .revokedAt)
    }
}
