/// One firing of one step: step `step` of pass `pass` (pass 0 is the first run through the
/// list, pass `repeatCount` the last). Ordered as the steps fire.
public struct StepIndex: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var pass: Int
    public var step: Int
    public init(pass: Int, step: Int) { self.pass = pass; self.step = step }

    public static func < (lhs: StepIndex, rhs: StepIndex) -> Bool { (lhs.pass, lhs.step) < (rhs.pass, rhs.step) }

    public var description: String { "pass \(pass) step \(step)" }
}
