/// One measured figure, printed by `watchkeeper-bench` and copied into docs/BENCHMARKS.md.
struct BenchmarkFigure: Sendable {
    var name: String
    var value: Double
    var unit: String
    /// The goal this figure is judged against, in words ("< 10 ms"), if there is one.
    var goal: String? = nil
}
