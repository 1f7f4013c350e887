extension Rotation {
    /// The checks computation depends on, without building messages: the fast path of
    /// `validate().isEmpty` for the zone already resolved by the caller.
    var isComputable: Bool {
        !participants.isEmpty && (1...10_000).contains(shiftLength.count) && anchor.start.isValid
            && (0..<participants.count).contains(anchor.participantIndex)
            && !participants.contains(where: \.isEmpty) && !id.isEmpty
    }

    /// Every problem with this rotation; empty when it can be used.
    public func validate() -> [ValidationError] {
        var errors: [ValidationError] = []
        if id.isEmpty { errors.append(.init(field: "id", message: "must not be empty")) }
        if !ZoneRules.isKnown(timeZone) {
            errors.append(.init(field: "timeZone", message: "unknown IANA time zone \"\(timeZone)\""))
        }
        if participants.isEmpty {
            errors.append(.init(field: "participants", message: "a rotation needs at least one participant"))
        }
        for (i, user) in participants.enumerated() where user.isEmpty {
            errors.append(.init(field: "participants[\(i)]", message: "user id must not be empty"))
        }
        if shiftLength.count < 1 {
            errors.append(.init(field: "shiftLength.count", message: "must be at least 1, got \(shiftLength.count)"))
        } else if shiftLength.count > 10_000 {
            errors.append(.init(field: "shiftLength.count", message: "must be at most 10000, got \(shiftLength.count)"))
        }
        if !anchor.start.isValid {
            errors.append(.init(
                field: "anchor.start",
                message: "\(anchor.start) is not a valid local date and time between 1900 and 2199"))
        }
        if !participants.isEmpty && !(0..<participants.count).contains(anchor.participantIndex) {
            errors.append(.init(
                field: "anchor.participantIndex",
                message: "must be between 0 and \(participants.count - 1), got \(anchor.participantIndex)"))
        }
        return errors
    }
}
