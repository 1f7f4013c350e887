import Foundation
import Paging

/// 2026-11-23T00:00:00Z.
let t0 = Date(timeIntervalSince1970: 1_795_392_000)

func at(_ seconds: Int) -> Date { t0.addingTimeInterval(Double(seconds)) }

func policy(_ delays: [Int], repeatCount: Int = 0, skipEmpty: Bool = false, ackTimeout: Int? = nil) -> EscalationPolicy {
    EscalationPolicy(id: "esc_test", name: "Test",
                     steps: delays.enumerated().map { .init(targets: [.init(kind: .user, id: "usr_\($0.offset)")], delaySeconds: $0.element) },
                     repeatCount: repeatCount, skipEmptySteps: skipEmpty, acknowledgementTimeoutSeconds: ackTimeout)
}

func idx(_ pass: Int, _ step: Int) -> StepIndex { StepIndex(pass: pass, step: step) }

/// A small deterministic generator, so a failing property case can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
