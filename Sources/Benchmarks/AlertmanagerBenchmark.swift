#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// The yardstick: Prometheus Alertmanager (Debian's `prometheus-alertmanager`, alerts in memory),
/// measured with the same client and pacing as Watchkeeper in the same run.
///
/// Two routes in one configuration. The root route groups by all labels (each alert its own
/// group) with `group_wait: 0s`, so each alert goes to the webhook at once: the closest equivalent
/// of an alert that pages a person. The delay probes (`bench="delay"`) and the per-alert ingest run
/// (`bench="each"`) take it. `bench="throughput"` alerts are grouped by `alertname` with a
/// one-minute `group_interval`, like our per-person bundling, so that run measures ingesting alerts
/// with next to no webhooks. Both ingest rates are reported; docs/BENCHMARKS.md says which is which.
struct AlertmanagerFigures {
    var version: String
    /// Unique alerts, each its own group: one webhook per alert.
    var newAlertsEach: LoadResult
    /// Webhook requests for those alerts that had arrived when the run ended, and 5 s later.
    var eachWebhooksDuringRun: Int
    var eachWebhooksAfter: Int
    /// Unique alerts in one group (bundled).
    var newAlerts: LoadResult
    var updates: LoadResult
    var storedAfterNewRun: Int
    var delays: [Double]  // seconds from reading the 200, sorted
    var delaysFromRequest: [Double]  // seconds from writing the request, sorted
    var delaySent: Int
}

/// A running Alertmanager on ephemeral ports; `stop()` ends it.
final class AlertmanagerProcess {
    let process = Process()
    let port: Int
    let directory: String

    init(webhookPort: Int, directory: String) throws {
        guard let binary = findExecutable("prometheus-alertmanager") ?? findExecutable("alertmanager") else {
            throw BenchError("prometheus-alertmanager is not installed (make bench-deps)")
        }
        self.directory = directory
        port = try freePort()
        let config = try writeFile(directory, "alertmanager.yml", """
            route:
              receiver: delay-hook
              group_by: ['...']
              group_wait: 0s
              group_interval: 5m
              repeat_interval: 24h
              routes:
                - matchers: ['bench="throughput"']
                  receiver: bundle-hook
                  group_by: ['alertname']
                  group_wait: 0s
                  group_interval: 1m
                  repeat_interval: 24h
            receivers:
              - name: delay-hook
                webhook_configs:
                  - url: http://127.0.0.1:\(webhookPort)/delay
                    send_resolved: false
              - name: bundle-hook
                webhook_configs:
                  - url: http://127.0.0.1:\(webhookPort)/bundle
                    send_resolved: false
                    max_alerts: 10
            """)
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config.file=\(config)", "--storage.path=\(directory)/data", "--web.listen-address=127.0.0.1:\(port)",
            "--cluster.listen-address=", "--log.level=warn",
        ]
        let log = FileHandle(forWritingAtPath: try writeFile(directory, "alertmanager.log", ""))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = monotonicSeconds() + 20
        while monotonicSeconds() < deadline {
            if let connection = try? HTTPConnection(port: port), let reply = try? connection.request("GET", "/-/ready"), reply.status == 200 { return }
            usleep(100_000)
        }
        stop()
        let text = (try? String(contentsOfFile: directory + "/alertmanager.log", encoding: .utf8)) ?? ""
        throw BenchError("Alertmanager did not become ready:\n\(text)")
    }

    static func version() -> String {
        guard let binary = findExecutable("prometheus-alertmanager") ?? findExecutable("alertmanager") else { return "?" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        guard (try? process.run()) != nil else { return "?" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").first.flatMap { $0.split(separator: " ").dropFirst(2).first }.map(String.init) ?? "?"
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

/// A port that was free a moment ago (Alertmanager takes its listen address as a flag).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard ok else { throw BenchError("no free port: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// wrk script: each request POSTs one alert to /api/v2/alerts. Arguments: key count (0: every
/// alert has unique labels), run id.
let alertmanagerWrkScript = uniqueBodyWrkScript(body: #"""
'[{"labels":{"alertname":"BenchThroughput","bench":"throughput","key":"' .. key ..
    '","severity":"critical"},"annotations":{"summary":"bench alert ' .. key .. '"}}]'
"""#)

/// The same with the per-alert route: every alert its own group and webhook.
let alertmanagerEachWrkScript = uniqueBodyWrkScript(body: #"""
'[{"labels":{"alertname":"BenchEach","bench":"each","key":"' .. key ..
    '","severity":"critical"},"annotations":{"summary":"bench alert ' .. key .. '"}}]'
"""#)

func alertmanagerBenchmark(directory: String, duration: String, connections: Int, delayAlerts: Int, spacing: Double) throws -> AlertmanagerFigures {
    let arrivals = Mutex<[String: Double]>([:])
    let eachWebhooks = Atomic<Int>(0)
    let eachMarker = Array(#""bench":"each""#.utf8)
    let listener = try WebhookListener { body, arrivedAt in
        // Counted without parsing: the listener shares the 2 cores with Alertmanager, and a JSON
        // parse of thousands of webhooks a second would slow the server being measured.
        if body.count >= eachMarker.count, body.indices.dropLast(eachMarker.count - 1).contains(where: { body[$0..<($0 + eachMarker.count)].elementsEqual(eachMarker) }) {
            eachWebhooks.add(1, ordering: .relaxed)
            return
        }
        guard let payload = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let alerts = payload["alerts"] as? [[String: Any]] else { return }
        arrivals.withLock { seen in
            for alert in alerts {
                if let labels = alert["labels"] as? [String: String], labels["bench"] == "delay", let key = labels["key"], seen[key] == nil {
                    seen[key] = arrivedAt
                }
            }
        }
    }
    defer { listener.stop() }
    let alertmanager = try AlertmanagerProcess(webhookPort: listener.port, directory: directory)
    defer { alertmanager.stop() }
    let script = try writeFile(directory, "alertmanager.lua", alertmanagerWrkScript)
    let url = "http://127.0.0.1:\(alertmanager.port)/api/v2/alerts"

    // Delay first, on a quiet server: one alert at a time, `spacing` apart, each with new labels.
    let connection = try HTTPConnection(port: alertmanager.port)
    var answered: [String: Double] = [:]
    var requested: [String: Double] = [:]
    for i in 0..<(delayAlerts + 20) {
        let key = "d-\(i)"
        let start = monotonicSeconds()
        let reply = try connection.request("POST", "/api/v2/alerts", json: [[
            "labels": ["alertname": "BenchDelay", "bench": "delay", "key": key, "severity": "critical"],
            "annotations": ["summary": "delay probe \(i)"],
        ]])
        let at = monotonicSeconds()
        guard reply.status == 200 else { throw BenchError("Alertmanager answered \(reply.status): \(reply.text)") }
        if i >= 20 { answered[key] = at; requested[key] = start }  // the first 20 warm up connections and code paths
        usleep(UInt32(spacing * 1_000_000))
    }
    let deadline = monotonicSeconds() + 10
    while monotonicSeconds() < deadline, arrivals.withLock({ seen in answered.keys.contains { seen[$0] == nil } }) {
        usleep(20_000)
    }
    let seen = arrivals.withLock { $0 }
    let delays = answered.compactMap { key, at in seen[key].map { $0 - at } }.sorted()
    let delaysFromRequest = requested.compactMap { key, at in seen[key].map { $0 - at } }.sorted()

    // Throughput: unique alerts bundled, updates of 100 alerts, then unique alerts each with its
    // own webhook (last, because their groups stay in memory and would weigh on the other runs).
    _ = try runWrk(url: url, script: script, arguments: ["0", "warmup"], connections: connections, duration: "2s")
    let before = try storedAlerts(connection)
    let newAlerts = try runWrk(url: url, script: script, arguments: ["0", "new"], connections: connections, duration: duration)
    let stored = try storedAlerts(connection) - before
    let updates = try runWrk(url: url, script: script, arguments: ["100", "dedup"], connections: connections, duration: duration)
    let newAlertsEach = try eachPagingRun(alertmanager, directory: directory, duration: duration, connections: connections) {
        eachWebhooks.store(0, ordering: .relaxed)
    }
    let eachWebhooksDuringRun = eachWebhooks.load(ordering: .relaxed)
    sleep(5)
    let eachWebhooksAfter = eachWebhooks.load(ordering: .relaxed)
    return AlertmanagerFigures(version: AlertmanagerProcess.version(), newAlertsEach: newAlertsEach, eachWebhooksDuringRun: eachWebhooksDuringRun,
                               eachWebhooksAfter: eachWebhooksAfter, newAlerts: newAlerts, updates: updates,
                               storedAfterNewRun: stored, delays: delays, delaysFromRequest: delaysFromRequest, delaySent: answered.count)
}

/// The second, alternating round of each-paging alerts, on a fresh Alertmanager in `directory`.
func alertmanagerEachRound(directory: String, duration: String, connections: Int) throws -> LoadResult {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let listener = try WebhookListener { _, _ in }
    defer { listener.stop() }
    let alertmanager = try AlertmanagerProcess(webhookPort: listener.port, directory: directory)
    defer { alertmanager.stop() }
    return try eachPagingRun(alertmanager, directory: directory, duration: duration, connections: connections)
}

/// A warm-up, a pause for its webhooks to drain, then the measured run of each-paging alerts.
private func eachPagingRun(_ alertmanager: AlertmanagerProcess, directory: String, duration: String, connections: Int,
                           beforeRun: () -> Void = {}) throws -> LoadResult {
    let script = try writeFile(directory, "alertmanager-each.lua", alertmanagerEachWrkScript)
    let url = "http://127.0.0.1:\(alertmanager.port)/api/v2/alerts"
    _ = try runWrk(url: url, script: script, arguments: ["0", "warmup"], connections: connections, duration: "2s")
    sleep(3)
    beforeRun()
    return try runWrk(url: url, script: script, arguments: ["0", "new"], connections: connections, duration: duration)
}

private func storedAlerts(_ connection: HTTPConnection) throws -> Int {
    let reply = try connection.request("GET", "/api/v2/alerts?silenced=true&inhibited=true&active=true&unprocessed=true")
    guard reply.status == 200, let list = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [Any] else {
        throw BenchError("cannot list Alertmanager's alerts: \(reply.status)")
    }
    return list.count
}
