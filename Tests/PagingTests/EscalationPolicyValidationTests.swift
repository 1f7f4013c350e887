import Foundation
import Testing
import Paging

struct EscalationPolicyValidationTests {
    @Test func aValidPolicyHasNoErrors() {
        #expect(policy([0, 86_400], repeatCount: 20, ackTimeout: 60).validate() == [])
        #expect(policy([1], ackTimeout: 604_800).validate() == [])
    }

    @Test func eachProblemNamesItsField() {
        var p = policy([-1, 86_401], repeatCount: 21, ackTimeout: 59)
        p.steps.append(.init(targets: [], delaySeconds: 10))
        p.steps[0].targets.append(.init(kind: .schedule, id: ""))
        #expect(Set(p.validate().map(\.field)) == [
            "steps.0.delaySeconds", "steps.1.delaySeconds", "steps.2.targets", "steps.0.targets.1.id",
            "repeatCount", "acknowledgementTimeoutSeconds",
        ])
    }

    @Test func noStepsIsAnError() {
        #expect(policy([]).validate().map(\.field) == ["steps"])
    }

    @Test func boundsAreInclusive() {
        #expect(policy([10], repeatCount: -1).validate().map(\.field) == ["repeatCount"])
        #expect(policy([10], ackTimeout: 604_801).validate().map(\.field) == ["acknowledgementTimeoutSeconds"])
        #expect(policy(Array(repeating: 1, count: EscalationPolicy.maximumSteps + 1)).validate().map(\.field) == ["steps"])
    }

    @Test func retriggerTimeIsTheAcknowledgementPlusTheTimeout() {
        #expect(policy([10], ackTimeout: 3600).retriggerTime(acknowledgedAt: at(42)) == at(3642))
        #expect(policy([10]).retriggerTime(acknowledgedAt: at(42)) == nil)
    }

    @Test func encodingWritesANullTimeout() throws {
        let json = String(decoding: try JSONEncoder().encode(policy([10])), as: UTF8.self)
        #expect(json.contains("\"acknowledgementTimeoutSeconds\":null"))
        let back = try JSONDecoder().decode(EscalationPolicy.self, from: Data(json.utf8))
        #expect(back == policy([10]))
    }
}
