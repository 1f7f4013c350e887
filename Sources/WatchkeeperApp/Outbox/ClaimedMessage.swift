import Foundation
import Gateways

/// A message taken out of the queue by one write job, rendered and ready for a provider; what the
/// sender needs to record the provider's answer afterwards.
struct ClaimedMessage: Sendable {
    var message: OutgoingMessage
    /// Attempts so far, this one included.
    var attempts: Int
    /// The messages folded into this one (state 'bundled'), oldest first.
    var bundledIds: [String]
    /// For timeline entries ("sent sms to Ana via console").
    var userName: String
    /// Which gateway of the message's route this attempt uses (0 = the first), and the attempts
    /// on that gateway so far, this one included.
    var gatewayIndex: Int = 0
    var gatewayAttempts: Int = 1
}
