import Foundation

/// Per-contact-method rate limits for outgoing messages (GoAlert's defaults): at most one
/// message a minute on any method, and for SMS at most 5, for voice at most 3, per 15 minutes.
/// Pure: the caller passes the method's recent sends and the instant.
///
/// Exemption: an `alert` message for a service that had no message on this contact method within
/// `exemptionWindow` is sent at once, whatever the limits say. The first alert of a service never
/// waits behind a storm of another service; its own later alerts are throttled (and bundled).
public struct Throttle: Sendable, Equatable {
    /// The channel a contact method uses; mirrors the app's contact method types.
    public enum Channel: String, Sendable, CaseIterable {
        case sms, voice, email, webhook
    }

    /// At most `count` sends in any `seconds`-long window.
    public struct Window: Sendable, Equatable {
        public var count: Int
        public var seconds: TimeInterval
        public init(count: Int, seconds: TimeInterval) {
            self.count = count
            self.seconds = seconds
        }
    }

    /// One earlier send on the contact method.
    public struct Send: Sendable, Equatable {
        public var sentAt: Date
        public var serviceId: String?
        public init(sentAt: Date, serviceId: String?) {
            self.sentAt = sentAt
            self.serviceId = serviceId
        }
    }

    /// Minimum time between two sends on one contact method.
    public var spacing: TimeInterval
    public var windows: [Channel: Window]
    public var exemptionWindow: TimeInterval

    public init(spacing: TimeInterval, windows: [Channel: Window], exemptionWindow: TimeInterval) {
        self.spacing = spacing
        self.windows = windows
        self.exemptionWindow = exemptionWindow
    }

    public static let standard = Throttle(
        spacing: 60,
        windows: [.sms: Window(count: 5, seconds: 900), .voice: Window(count: 3, seconds: 900)],
        exemptionWindow: 900)

    /// How far back a caller must load history for `earliest` to be exact.
    public var historyWindow: TimeInterval {
        max(spacing, exemptionWindow, windows.values.map(\.seconds).max() ?? 0)
    }

    /// The earliest instant a message may go out on a `channel` contact method with `history`
    /// (in any order); `now` when it may go now. `serviceId` is the message's service;
    /// `isAlert` says whether it is an alert page (only those can be exempt).
    public func earliest(channel: Channel, history: [Send], serviceId: String?, isAlert: Bool, now: Date) -> Date {
        if isAlert, let serviceId,
           !history.contains(where: { $0.serviceId == serviceId && $0.sentAt > now.addingTimeInterval(-exemptionWindow) }) {
            return now
        }
        let times = history.map(\.sentAt).sorted()
        var allowed = now
        if let last = times.last {
            allowed = max(allowed, last.addingTimeInterval(spacing))
        }
        if let window = windows[channel], window.count > 0, times.count >= window.count {
            // At `t` the sends counted are those after t - seconds; fewer than `count` must be,
            // so t must reach the (count)th most recent send + seconds.
            let blocking = times[times.count - window.count]
            allowed = max(allowed, blocking.addingTimeInterval(window.seconds))
        }
        return allowed
    }
}
