/// Why a computation could not run.
public enum SchedulingError: Error, Sendable, Hashable {
    /// `identifier` is not an IANA zone known to this system's tzdata.
    case unknownTimeZone(String)
    /// A rule targets a rotation not in the `rotations` argument.
    case unknownRotation(String)
    /// The rotation fails `Rotation.validate()`.
    case invalidRotation(id: String, errors: [ValidationError])
    /// `from` is not before `to`.
    case emptyRange
}
