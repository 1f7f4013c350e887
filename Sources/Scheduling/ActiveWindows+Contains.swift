import Foundation

extension ActiveWindows {
    /// True when one of the windows covers `instant` in the zone, with the schedules' gap and
    /// fall-back rules (so routing rules' time windows behave exactly like schedule rules').
    /// Empty windows cover every instant; nil when the zone is not a known IANA zone.
    public func contains(_ instant: Date) -> Bool? {
        guard let zone = ZoneRules.named(timeZone) else { return nil }
        return RuleActivity(windows: windows, zone: zone).isActive(at: instant.timeIntervalSince1970)
    }
}
