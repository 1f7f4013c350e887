import Foundation
import Gateways
import Logging
import Storage
import Synchronization
import WatchkeeperApp

/// A provider that delivers nothing: it stamps the monotonic time of its first call for each
/// alert, and keeps verification codes so the set-up can verify contact methods through the API.
final class RecordingProvider: MessageProvider, Sendable {
    let name = "bench-recording"
    private let firstSend = Mutex<[String: Double]>([:])
    private let codes = Mutex<[String: String]>([:])
    let calls = Atomic<Int>(0)

    func supports(_ type: ContactMethodType) -> Bool { true }

    func send(_ message: OutgoingMessage) -> DeliveryResult {
        let now = monotonicSeconds()
        calls.add(1, ordering: .relaxed)
        if message.kind == .verification {
            if let range = message.text.range(of: #"\d{6}"#, options: .regularExpression) {
                codes.withLock { $0[message.contactMethodId] = String(message.text[range]) }
            }
        } else {
            firstSend.withLock { seen in
                for id in message.alertIds where seen[id] == nil { seen[id] = now }
            }
        }
        return .accepted(providerMessageId: nil)
    }

    func code(for contactMethodId: String) -> String? { codes.withLock { $0[contactMethodId] } }
    func sentAt(_ alertId: String) -> Double? { firstSend.withLock { $0[alertId] } }
}

/// The writer's counters from `/metrics`, to tell a busy writer from an idle one.
struct WriterCounters {
    var commits: Double
    var commitSeconds: Double
    var jobs: Double

    static func read(_ connection: HTTPConnection) throws -> WriterCounters {
        let text = try connection.request("GET", "/metrics").text
        func value(_ name: String) -> Double {
            for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
                return Double(line.split(separator: " ").last ?? "") ?? .nan
            }
            return .nan
        }
        return WriterCounters(commits: value("watchkeeper_database_commit_duration_seconds_count"),
                              commitSeconds: value("watchkeeper_database_commit_duration_seconds_sum"),
                              jobs: value("watchkeeper_database_write_jobs_total"))
    }

    /// "N commits/s, J jobs per commit, M ms per commit, writer committing P% of the time" between two reads.
    static func describe(_ a: WriterCounters, _ b: WriterCounters, seconds: Double) -> String {
        let commits = b.commits - a.commits, jobs = b.jobs - a.jobs, busy = b.commitSeconds - a.commitSeconds
        return String(format: "%.0f commits/s, %.1f write jobs per commit, %.2f ms per commit, commits taking %.0f%% of the time",
                      commits / seconds, jobs / max(commits, 1), 1000 * busy / max(commits, 1), 100 * busy / seconds)
    }
}

struct WatchkeeperFigures {
    var writerDuringIngestOnly: String
    var writerDuringNewAlerts: String
    var ingestOnly: LoadResult
    var newAlerts: LoadResult
    var updates: LoadResult
    var storedAfterNewRun: Int
    var storedAfterUpdates: Int
    var catchUpSeconds: Double?
    var delays: [Double]  // seconds from reading the 202, sorted
    var delaysFromRequest: [Double]  // seconds from writing the request, sorted
    var delaySent: Int
    var providerCalls: Int
    /// Medians over the delay alerts, from the timeline's millisecond instants: created → step 1
    /// fired, step 1 → message queued (notified), queued → provider answer recorded (message-sent).
    var phases: (escalated: Double, notified: Double, sent: Double)?
}

/// Wires users, verified SMS contact methods, rules, policies, services and keys through the API.
private struct Setup {
    let connection: HTTPConnection
    let admin: String
    let provider: RecordingProvider

    func create(_ path: String, _ body: [String: Any], expect: Int = 201) throws -> [String: Any] {
        let reply = try connection.request("POST", path, json: body, token: admin)
        guard reply.status == expect else { throw BenchError("POST \(path) answered \(reply.status): \(reply.text)") }
        return reply.object
    }

    /// A service whose policy pages one user (SMS at once) and an events-v2 key for it.
    func pagedService(_ n: Int, prefix: String) throws -> (serviceId: String, key: String) {
        let user = try create("/api/v1/users", ["name": "\(prefix) \(n)", "email": "\(prefix)\(n)@example.com", "timeZone": "UTC", "role": "responder"])
        let userId = user["id"] as! String
        let method = try create("/api/v1/users/\(userId)/contact-methods",
                                ["type": "sms", "name": "phone", "address": String(format: "+1555%07d", n)])
        let methodId = method["id"] as! String
        _ = try create("/api/v1/users/\(userId)/contact-methods/\(methodId)/send-verification", [:], expect: 202)
        let deadline = monotonicSeconds() + 10
        var code = provider.code(for: methodId)
        while code == nil && monotonicSeconds() < deadline {
            usleep(1_000)
            code = provider.code(for: methodId)
        }
        guard let code else { throw BenchError("no verification code reached the provider for \(methodId)") }
        _ = try create("/api/v1/users/\(userId)/contact-methods/\(methodId)/verify", ["code": code], expect: 200)
        _ = try create("/api/v1/users/\(userId)/notification-rules", ["contactMethodId": methodId, "delaySeconds": 0])
        let policy = try create("/api/v1/escalation-policies", ["name": "\(prefix) \(n)", "steps": [
            ["targets": [["kind": "user", "id": userId]], "delaySeconds": 600],
        ]])
        let service = try create("/api/v1/services", ["name": "\(prefix) \(n)", "escalationPolicyId": policy["id"] as! String])
        let serviceId = service["id"] as! String
        let key = try create("/api/v1/services/\(serviceId)/integration-keys", ["name": "bench", "format": "events-v2"])
        return (serviceId, key["secret"] as! String)
    }
}

/// wrk script: each request POSTs one Events v2 trigger. Arguments: key count (0: a new dedup key
/// for every event), run id.
let eventsWrkScript = uniqueBodyWrkScript(body: #"""
'{"routing_key":"bench","event_action":"trigger","dedup_key":"' .. key ..
    '","payload":{"summary":"bench alert ' .. key .. '","severity":"critical","source":"bench"}}'
"""#)

/// A started Application on a fresh SQLite file in `directory`, with the no-op provider and an admin key.
private func benchApplication(directory: String, file: String) throws -> (Application, Setup) {
    var configuration = Configuration()
    configuration.listenPort = 0
    configuration.databasePath = directory + "/" + file
    configuration.publicDirectory = directory + "/no-console"
    var logger = Logger(label: "bench")
    logger.logLevel = .warning
    let provider = RecordingProvider()
    let application = try Application(configuration: configuration, logger: logger, providers: [provider])
    try application.start()
    let admin = try application.keys.create(name: "bench", role: .admin).secret
    return (application, Setup(connection: try HTTPConnection(port: application.port), admin: admin, provider: provider))
}

/// The second, alternating round of new alerts: a fresh Application on a fresh file, one service
/// paging one person, as in the first round.
func watchkeeperNewAlertRound(directory: String, duration: String, connections: Int) throws -> LoadResult {
    let (application, setup) = try benchApplication(directory: directory, file: "paging-round2.db")
    defer { application.shutdown() }
    let throughput = try setup.pagedService(100_000, prefix: "throughput")
    let url = "http://127.0.0.1:\(application.port)/api/v1/integrations/\(throughput.key)/events"
    let script = try writeFile(directory, "events.lua", eventsWrkScript)
    _ = try runWrk(url: url, script: script, arguments: ["0", "warmup"], connections: connections, duration: "2s")
    return try runWrk(url: url, script: script, arguments: ["0", "new"], connections: connections, duration: duration)
}

func watchkeeperBenchmark(directory: String, duration: String, connections: Int, delayAlerts: Int, spacing: Double) throws -> WatchkeeperFigures {
    let (application, setup) = try benchApplication(directory: directory, file: "paging.db")
    defer { application.shutdown() }
    let connection = setup.connection, provider = setup.provider

    // Delay: one service (and person) per alert, so no page is throttled or bundled.
    let warmUp = 20
    var services: [(serviceId: String, key: String)] = []
    for n in 0..<(delayAlerts + warmUp) { services.append(try setup.pagedService(n, prefix: "delay")) }
    usleep(500_000)
    var answered: [String: Double] = [:]
    var requested: [String: Double] = [:]
    for (n, service) in services.enumerated() {
        let start = monotonicSeconds()
        let reply = try connection.request("POST", "/api/v1/integrations/\(service.key)/events", json: [
            "routing_key": "bench", "event_action": "trigger", "dedup_key": "delay-\(n)",
            "payload": ["summary": "delay probe \(n)", "severity": "critical", "source": "bench"],
        ])
        let at = monotonicSeconds()
        guard reply.status == 202, let alertId = reply.object["alertId"] as? String else {
            throw BenchError("ingest answered \(reply.status): \(reply.text)")
        }
        if n >= warmUp { answered[alertId] = at; requested[alertId] = start }
        usleep(UInt32(spacing * 1_000_000))
    }
    let deadline = monotonicSeconds() + 10
    while monotonicSeconds() < deadline, answered.keys.contains(where: { provider.sentAt($0) == nil }) { usleep(20_000) }
    let delays = answered.compactMap { id, at in provider.sentAt(id).map { $0 - at } }.sorted()
    let delaysFromRequest = requested.compactMap { id, at in provider.sentAt(id).map { $0 - at } }.sorted()
    var phaseSamples: ([Double], [Double], [Double]) = ([], [], [])
    for id in answered.keys {
        let rows = try application.database.read { db in
            try db.query("SELECT kind, MIN(at) AS at FROM alert_timeline WHERE alert_id = ? GROUP BY kind", [.text(id)])
        }
        var at: [String: Double] = [:]
        for row in rows { at[try row.get("kind", as: String.self)] = Double(try row.get("at", as: Int64.self)) }
        if let c = at["created"], let e = at["escalated"], let n = at["notified"], let m = at["message-sent"] {
            phaseSamples.0.append(e - c)
            phaseSamples.1.append(n - e)
            phaseSamples.2.append(m - n)
        }
    }
    let phases = phaseSamples.0.isEmpty ? nil : (percentile(phaseSamples.0.sorted(), 0.5), percentile(phaseSamples.1.sorted(), 0.5),
                                                 percentile(phaseSamples.2.sorted(), 0.5))

    // Throughput: one service paging one person (whose pages the throttle bundles).
    let throughput = try setup.pagedService(100_000, prefix: "throughput")
    let url = "http://127.0.0.1:\(application.port)/api/v1/integrations/\(throughput.key)/events"
    let script = try writeFile(directory, "events.lua", eventsWrkScript)
    /// Alerts of the throughput service whose dedup key starts with the wrk run's prefix.
    func stored(_ prefix: String) throws -> Int {
        try application.database.read { db in
            Int(try db.queryOne("SELECT count(*) AS n FROM alerts WHERE service_id = ? AND dedup_key LIKE ?",
                                [.text(throughput.serviceId), .text(prefix + "-%")])?.get("n", as: Int64.self) ?? -1)
        }
    }
    func pendingEscalations() throws -> Int {
        try application.database.read { db in
            Int(try db.queryOne("SELECT count(*) AS n FROM alert_escalations WHERE next_step_at IS NOT NULL")?.get("n", as: Int64.self) ?? -1)
        }
    }
    // Ingest alone: a service without an escalation policy (alerts recorded, nobody paged).
    let quiet = try setup.create("/api/v1/services", ["name": "ingest only"])["id"] as! String
    let quietKey = try setup.create("/api/v1/services/\(quiet)/integration-keys", ["name": "bench", "format": "events-v2"])["secret"] as! String
    let quietURL = "http://127.0.0.1:\(application.port)/api/v1/integrations/\(quietKey)/events"
    _ = try runWrk(url: quietURL, script: script, arguments: ["0", "warmup"], connections: connections, duration: "2s")
    let quietBefore = try WriterCounters.read(connection)
    let ingestOnly = try runWrk(url: quietURL, script: script, arguments: ["0", "new"], connections: connections, duration: duration)
    let writerDuringIngestOnly = WriterCounters.describe(quietBefore, try WriterCounters.read(connection), seconds: ingestOnly.seconds)

    _ = try runWrk(url: url, script: script, arguments: ["0", "warmup"], connections: connections, duration: "2s")
    let newBefore = try WriterCounters.read(connection)
    let newAlerts = try runWrk(url: url, script: script, arguments: ["0", "new"], connections: connections, duration: duration)
    let writerDuringNewAlerts = WriterCounters.describe(newBefore, try WriterCounters.read(connection), seconds: newAlerts.seconds)
    usleep(200_000)  // requests in flight when wrk stopped
    let afterNew = try stored("new")
    // The engine fires step 1 of every new alert; how long it lags behind the ingest.
    let runEnd = monotonicSeconds()
    var catchUp: Double?
    while monotonicSeconds() - runEnd < 60 {
        if try pendingEscalations() == 0 { catchUp = monotonicSeconds() - runEnd; break }
        usleep(50_000)
    }
    let updates = try runWrk(url: url, script: script, arguments: ["100", "dedup"], connections: connections, duration: duration)
    usleep(200_000)
    let afterUpdates = try stored("dedup")
    return WatchkeeperFigures(writerDuringIngestOnly: writerDuringIngestOnly, writerDuringNewAlerts: writerDuringNewAlerts, ingestOnly: ingestOnly, newAlerts: newAlerts, updates: updates, storedAfterNewRun: afterNew,
                              storedAfterUpdates: afterUpdates, catchUpSeconds: catchUp,
                              delays: delays, delaysFromRequest: delaysFromRequest, delaySent: answered.count, providerCalls: provider.calls.load(ordering: .relaxed),
                              phases: phases)
}

/// Both servers measured, as the Markdown section of docs/BENCHMARKS.md.
func pagingSection(duration: String) throws -> String {
    let directory = NSTemporaryDirectory() + "watchkeeper-paging-bench-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let connections = 64, delayAlerts = 250, spacing = 0.005
    let only = ProcessInfo.processInfo.environment["PAGING_BENCH_ONLY"]
    FileHandle.standardError.write(Data("paging: Alertmanager\n".utf8))
    let am = only == "watchkeeper" ? nil : try alertmanagerBenchmark(directory: directory, duration: duration, connections: connections,
                                                                     delayAlerts: delayAlerts, spacing: spacing)
    FileHandle.standardError.write(Data("paging: Watchkeeper\n".utf8))
    let wk = only == "alertmanager" ? nil : try watchkeeperBenchmark(directory: directory, duration: duration, connections: connections,
                                                                    delayAlerts: delayAlerts, spacing: spacing)
    // The goal's pair again, alternating, so a drift in the machine's speed weighs on both sides.
    var second: (am: LoadResult?, wk: LoadResult?) = (nil, nil)
    if only != "watchkeeper" {
        FileHandle.standardError.write(Data("paging: Alertmanager, second round\n".utf8))
        second.am = try alertmanagerEachRound(directory: directory + "/alertmanager-round2", duration: duration, connections: connections)
    }
    if only != "alertmanager" {
        FileHandle.standardError.write(Data("paging: Watchkeeper, second round\n".utf8))
        second.wk = try watchkeeperNewAlertRound(directory: directory, duration: duration, connections: connections)
    }
    return pagingMarkdown(wk: wk, am: am, second: second, duration: duration, connections: connections, delayAlerts: delayAlerts, spacing: spacing)
}

/// Requests answered 2xx per second over both rounds together.
private func combinedRate(_ first: LoadResult?, _ second: LoadResult?) -> Double? {
    guard let first else { return nil }
    guard let second else { return first.okPerSecond }
    return Double(first.ok + second.ok) / (first.seconds + second.seconds)
}

private func rate(_ value: Double) -> String { String(format: "%.0f/s", value) }
private func ms(_ seconds: Double) -> String { seconds.isNaN ? "n/a" : String(format: "%.2f ms", seconds * 1000) }
private func ratio(_ a: Double?, _ b: Double?) -> String {
    guard let a, let b, b != 0, !a.isNaN, !b.isNaN else { return "" }
    return String(format: "%.0f%%", 100 * a / b)
}

func pagingMarkdown(wk: WatchkeeperFigures?, am: AlertmanagerFigures?, second: (am: LoadResult?, wk: LoadResult?),
                    duration: String, connections: Int, delayAlerts: Int, spacing: Double) -> String {
    func errors(_ r: LoadResult) -> String {
        r.non2xx + r.socketErrors == 0 ? "" : " (\(r.non2xx) non-2xx, \(r.socketErrors) socket errors)"
    }
    func load(_ r: LoadResult?) -> String { r.map { rate($0.okPerSecond) + errors($0) } ?? "not run" }
    func latency(_ r: LoadResult?) -> String { r.map { "\($0.p50) / \($0.p99)" } ?? "" }
    func combined(_ first: LoadResult?, _ second: LoadResult?) -> String {
        guard let first, let both = combinedRate(first, second) else { return "not run" }
        return rate(both) + errors(first) + (second.map { " (rounds: \(rate(first.okPerSecond)), \(rate($0.okPerSecond))\(errors($0)))" } ?? "")
    }
    let wkEach = combinedRate(wk?.newAlerts, second.wk), amEach = combinedRate(am?.newAlertsEach, second.am)
    let wkP50 = wk.map { percentile($0.delays, 0.5) }, wkP99 = wk.map { percentile($0.delays, 0.99) }
    let amP50 = am.map { percentile($0.delays, 0.5) }, amP99 = am.map { percentile($0.delays, 0.99) }
    var lines = [
        "## Paging against Prometheus Alertmanager",
        "",
        "Same run, same machine, same client: \(am.map { "Alertmanager \($0.version)" } ?? "Alertmanager") (Debian's `prometheus-alertmanager`, alerts kept in memory, clustering off)",
        "side by side with Watchkeeper (an `Application` in the `watchkeeper-bench` process on a fresh SQLite file, `synchronous=FULL`, with a no-op",
        "provider that records when it is called). Ingest rates: `wrk -t2 -c\(connections) -d\(duration)` with a Lua script that makes every body",
        "unique, counting 2xx answers (Watchkeeper's 202 is sent after the commit; Alertmanager's 200 after it stored the alert in memory).",
        "",
        "| figure | watchkeeper | alertmanager | ratio | goal |",
        "|---|---|---|---|---|",
        "| new alerts, \(connections) connections, each paging (Alertmanager: each alert its own group, a webhook per alert), two alternating rounds | \(combined(wk?.newAlerts, second.wk)) | \(combined(am?.newAlertsEach, second.am)) | \(ratio(wkEach, amEach)) | ≥ 100% of Alertmanager, committed durably |",
        "| new alerts, \(connections) connections, bundled (Alertmanager: one group, a webhook a minute) | \(load(wk?.newAlerts)) | \(load(am?.newAlerts)) | \(ratio(wk?.newAlerts.okPerSecond, am?.newAlerts.okPerSecond)) | |",
        "| new alerts on a service without an escalation policy (ingest alone, nobody paged) | \(load(wk?.ingestOnly)) | | \(ratio(wk?.ingestOnly.okPerSecond, am?.newAlerts.okPerSecond)) | |",
        "| updates of open alerts (100 dedup keys / label sets) | \(load(wk?.updates)) | \(load(am?.updates)) | \(ratio(wk?.updates.okPerSecond, am?.updates.okPerSecond)) | |",
        "| request latency p50 / p99, new alerts (Alertmanager: each paging / bundled) | \(latency(wk?.newAlerts)) | \(latency(am?.newAlertsEach)) / \(latency(am?.newAlerts)) | | |",
        "| delay 2xx → provider call / webhook, p50 | \(wkP50.map(ms) ?? "not run") | \(amP50.map(ms) ?? "not run") | \(ratio(wkP50, amP50)) | ≤ Alertmanager's |",
        "| delay 2xx → provider call / webhook, p99 | \(wkP99.map(ms) ?? "not run") | \(amP99.map(ms) ?? "not run") | \(ratio(wkP99, amP99)) | < 50 ms |",
        "| delay 2xx → provider call / webhook, min (negative: called before the client had read the 2xx) | \(wk.map { ms($0.delays.first ?? .nan) } ?? "") | \(am.map { ms($0.delays.first ?? .nan) } ?? "") | | |",
        "| delay request written → provider call / webhook, p50 / p99 | \(wk.map { ms(percentile($0.delaysFromRequest, 0.5)) + " / " + ms(percentile($0.delaysFromRequest, 0.99)) } ?? "") | \(am.map { ms(percentile($0.delaysFromRequest, 0.5)) + " / " + ms(percentile($0.delaysFromRequest, 0.99)) } ?? "") | \(ratio(wk.map { percentile($0.delaysFromRequest, 0.5) }, am.map { percentile($0.delaysFromRequest, 0.5) })) (p50) | |",
        "",
    ]
    if let wk, let am, let wkEach, let amEach, let wkP50, let amP50, let wkP99 {
        func verdict(_ met: Bool) -> String { met ? "**met**" : "**not met**" }
        lines.append("Against the goals in this run: new alerts \(ratio(wkEach, amEach)) of Alertmanager's rate when each of its alerts pages, over two alternating rounds "
            + "(goal ≥ 100%: \(verdict(wkEach >= amEach))), \(ratio(wk.newAlerts.okPerSecond, am.newAlerts.okPerSecond)) of its rate when all are bundled into one group "
            + "(\(verdict(wk.newAlerts.okPerSecond >= am.newAlerts.okPerSecond)) by that stricter reading); delay p50 \(ms(wkP50)) against \(ms(amP50)) "
            + "(goal no worse: \(verdict(wkP50 <= amP50))); delay p99 \(ms(wkP99)) (goal < 50 ms: \(verdict(wkP99 < 0.050))).")
        lines.append("")
    }
    if let wk {
        lines.append("Watchkeeper's single SQLite writer (from `/metrics`): during the ingest-alone run \(wk.writerDuringIngestOnly); during the new-alert run \(wk.writerDuringNewAlerts).")
        lines.append("")
        lines.append("Watchkeeper: the new-alert run stored \(wk.storedAfterNewRun) alerts for \(wk.newAlerts.ok) answers 202 (requests in flight when wrk stopped can commit unanswered); the update run added \(wk.storedAfterUpdates) alerts (goal: 100). "
            + "Every new alert starts its escalation policy, whose step 1 the engine fires; "
            + (wk.catchUpSeconds.map { String(format: "the engine had fired every pending step %.1f s after the new-alert run ended", $0) } ?? "the engine had still not fired every pending step 60 s after the new-alert run")
            + ". The pages of the run's one paged person are throttled and bundled, so the provider was called \(wk.providerCalls) times in all (delay probes, verifications and bundles). "
            + "Delay: \(wk.delays.count) of \(wk.delaySent) alerts reached the provider (one event \(Int(spacing * 1000)) ms apart, each on its own service paging its own person by SMS at once, so no page is throttled), "
            + "measured from the moment the client had read the 202 to the provider's `send` call, on one monotonic clock in one process."
            + (wk.phases.map { String(format: " Where it goes (medians of the timeline's millisecond instants): created → step 1 fired %.0f ms, → message queued %.0f ms, → provider answer recorded %.0f ms.", $0.escalated, $0.notified, $0.sent) } ?? ""))
        lines.append("")
    }
    if let am {
        lines.append("Alertmanager: the bundled new-alert run left \(am.storedAfterNewRun) more alerts in its list for \(am.newAlerts.ok) answers 200. "
            + "Delay probes and the each-paging run are routed with `group_by: ['...']` and `group_wait: 0s` (each alert its own group, sent to the webhook at once, as each new Watchkeeper alert starts its own escalation and page); "
            + "the each-paging run's \(am.newAlertsEach.ok) alerts had brought \(am.eachWebhooksDuringRun) webhook requests when wrk stopped and \(am.eachWebhooksAfter) five seconds later. "
            + "Bundled alerts go to a route grouped by `alertname` with a 1-minute `group_interval`, so that run sends next to no webhooks (Watchkeeper's pages to the run's one person are throttled and bundled instead, but each alert still gets its own escalation, notification and message rows). "
            + "Delay: \(am.delays.count) of \(am.delaySent) alerts reached the webhook (a listener in the bench process), measured from the client reading the 200 to the last byte of the webhook request.")
        lines.append("")
    }
    return lines.joined(separator: "\n")
}
