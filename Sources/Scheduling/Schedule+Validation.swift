extension Schedule {
    /// Every problem with this schedule; empty when it can be used. References to users and
    /// rotations are not checked here (see `references`).
    public func validate() -> [ValidationError] {
        var errors: [ValidationError] = []
        func fail(_ field: String, _ message: String) { errors.append(.init(field: field, message: message)) }

        if id.isEmpty { fail("id", "must not be empty") }
        if !ZoneRules.isKnown(timeZone) { fail("timeZone", "unknown IANA time zone \"\(timeZone)\"") }

        for (r, rule) in rules.enumerated() {
            let path = "rules[\(r)]"
            if rule.target.id.isEmpty { fail("\(path).target.id", "must not be empty") }
            for (w, window) in rule.windows.enumerated() {
                let wpath = "\(path).windows[\(w)]"
                if window.days.isEmpty {
                    fail("\(wpath).days", "needs at least one day; a rule without windows is always active")
                }
                if !window.start.isValidTimeOfDay { fail("\(wpath).start", "\(window.start) is not a time 00:00–23:59") }
                if !window.end.isValidWindowEnd { fail("\(wpath).end", "\(window.end) is not a time 00:00–24:00") }
                if window.start.secondsOfDay == window.end.secondsOfDay {
                    fail("\(wpath).end", "equals start; use 00:00–24:00 for a whole day")
                }
            }
        }

        for (o, override) in overrides.enumerated() {
            let path = "overrides[\(o)]"
            if override.id.isEmpty { fail("\(path).id", "must not be empty") }
            if override.end <= override.start { fail("\(path).end", "must be after start") }
            let add = override.addUserId.map { !$0.isEmpty } ?? false
            let remove = override.removeUserId.map { !$0.isEmpty } ?? false
            switch override.action {
            case .add:
                if !add { fail("\(path).addUserId", "an add override needs the user to add") }
                if override.removeUserId != nil { fail("\(path).removeUserId", "an add override takes no user to remove") }
            case .remove:
                if !remove { fail("\(path).removeUserId", "a remove override needs the user to remove") }
                if override.addUserId != nil { fail("\(path).addUserId", "a remove override takes no user to add") }
            case .replace:
                if !add { fail("\(path).addUserId", "a replace override needs both users: the user to put on call") }
                if !remove { fail("\(path).removeUserId", "a replace override needs both users: the user to replace") }
                if add && remove && override.addUserId == override.removeUserId {
                    fail("\(path).addUserId", "must differ from removeUserId")
                }
            }
        }

        for (t, temporary) in temporarySchedules.enumerated() {
            let path = "temporarySchedules[\(t)]"
            if temporary.id.isEmpty { fail("\(path).id", "must not be empty") }
            if temporary.end <= temporary.start { fail("\(path).end", "must be after start") }
            for (s, shift) in temporary.shifts.enumerated() {
                let spath = "\(path).shifts[\(s)]"
                if shift.userId.isEmpty { fail("\(spath).userId", "must not be empty") }
                if shift.end <= shift.start {
                    fail("\(spath).end", "must be after start")
                } else if shift.start < temporary.start || shift.end > temporary.end {
                    fail(spath, "lies outside the temporary schedule's span [start, end)")
                }
            }
        }
        return errors
    }

    /// The user and rotation ids this schedule mentions.
    public var references: ScheduleReferences {
        var users = Set<String>()
        var rotations = Set<String>()
        for rule in rules {
            switch rule.target.kind {
            case .user: users.insert(rule.target.id)
            case .rotation: rotations.insert(rule.target.id)
            }
        }
        for override in overrides {
            if let id = override.addUserId { users.insert(id) }
            if let id = override.removeUserId { users.insert(id) }
        }
        for temporary in temporarySchedules {
            for shift in temporary.shifts { users.insert(shift.userId) }
        }
        return ScheduleReferences(userIds: users.sorted(), rotationIds: rotations.sorted())
    }
}
