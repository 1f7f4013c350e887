import Testing
import Paging

@Test func policyKeepsItsSteps() {
    let policy = EscalationPolicy(id: "p", name: "P", steps: [.init(targets: [.init(kind: .user, id: "u")], delaySeconds: 60)])
    #expect(policy.steps.count == 1)
}
