import Foundation

// `watchkeeper-bench`: in-process figures (storage, schedules), printed as Markdown table rows
// for scripts/bench.sh to put into docs/BENCHMARKS.md. HTTP figures come from wrk in that script.
// `watchkeeper-bench paging` prints the Markdown section "Paging against Alertmanager" instead.
let arguments = CommandLine.arguments.dropFirst()
do {
    if arguments.first == "paging" {
        print(try pagingSection(duration: ProcessInfo.processInfo.environment["DURATION"] ?? "10s"))
        exit(0)
    }
    var figures: [BenchmarkFigure] = []
    figures += try storageBenchmarks()
    figures += try schedulingBenchmarks()
    for figure in figures {
        let value = figure.value >= 100 ? String(format: "%.0f", figure.value) : String(format: "%.3f", figure.value)
        print("| \(figure.name) | \(value) \(figure.unit) | \(figure.goal ?? "") |")
    }
} catch {
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}
