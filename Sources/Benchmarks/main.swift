import Foundation

// `watchkeeper-bench`: in-process figures (storage, schedules), printed as Markdown table rows
// for scripts/bench.sh to put into docs/BENCHMARKS.md. HTTP figures come from wrk in that script.
var figures: [BenchmarkFigure] = []
do {
    figures += try storageBenchmarks()
    figures += try schedulingBenchmarks()
} catch {
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}
for figure in figures {
    let value = figure.value >= 100 ? String(format: "%.0f", figure.value) : String(format: "%.3f", figure.value)
    print("| \(figure.name) | \(value) \(figure.unit) | \(figure.goal ?? "") |")
}
