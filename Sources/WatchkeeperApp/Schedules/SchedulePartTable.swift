/// Where the three kinds of schedule part live: rows of `schedule_parts` of one `kind`, under
/// their schedule.
enum SchedulePartTable {
    static let parent = ResourceTable.Parent(table: "schedules", column: "schedule_id", noun: "schedule", member: "scheduleId")

    static func table(kind: String, spanned: Bool) -> ResourceTable {
        ResourceTable(name: "schedule_parts", kind: kind, parent: parent, extraColumns: spanned ? ["start_at", "end_at"] : [])
    }

    /// The read-only members of a part: the resource's and its schedule's id.
    static func metadata(idPrefix: String) -> [String: JSONValue] {
        ScheduleSchemas.metadata(idPrefix: idPrefix).merging(["scheduleId": ScheduleSchemas.id("sch_")]) { $1 }
    }
}
