import Foundation
import HTTPServer
import Synchronization

/// Counters and histograms for `GET /metrics`, in the Prometheus text format (0.0.4).
/// Requests are labelled by route pattern, never by raw path, so label sets stay bounded.
public final class Metrics: Sendable {
    static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    struct Histogram {
        var counts = [UInt64](repeating: 0, count: Metrics.latencyBuckets.count)
        var sum = 0.0
        var total: UInt64 = 0

        mutating func observe(_ value: Double) {
            if let index = Metrics.latencyBuckets.firstIndex(where: { value <= $0 }) { counts[index] += 1 }
            sum += value
            total += 1
        }
    }

    struct State {
        var requests: [RequestKey: UInt64] = [:]
        var latency: [String: Histogram] = [:]
        var databaseWrites = Histogram()
        var databaseJobs: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func observe(_ record: RequestRecord) {
        let route = record.routeName ?? "unmatched"
        let key = RequestKey(route: route, method: record.method, status: record.status)
        state.withLock { state in
            state.requests[key, default: 0] += 1
            state.latency[route, default: Histogram()].observe(record.duration)
        }
    }

    public func observeDatabaseWrite(seconds: Double, jobs: Int) {
        state.withLock { state in
            state.databaseWrites.observe(seconds)
            state.databaseJobs += UInt64(jobs)
        }
    }

    public func render(openConnections: Int) -> String {
        let snapshot = state.withLock { $0 }
        var out = ""
        out += "# HELP watchkeeper_http_requests_total HTTP requests answered, by route pattern, method and status.\n"
        out += "# TYPE watchkeeper_http_requests_total counter\n"
        for (key, count) in snapshot.requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "watchkeeper_http_requests_total{route=\"\(Self.escape(key.route))\",method=\"\(key.method)\",status=\"\(key.status)\"} \(count)\n"
        }
        out += "# HELP watchkeeper_http_request_duration_seconds Time from a complete request to its response, by route pattern.\n"
        out += "# TYPE watchkeeper_http_request_duration_seconds histogram\n"
        for (route, histogram) in snapshot.latency.sorted(by: { $0.key < $1.key }) {
            out += Self.render(histogram, name: "watchkeeper_http_request_duration_seconds", labels: "route=\"\(Self.escape(route))\",")
        }
        out += "# HELP watchkeeper_http_open_connections Client connections currently open.\n"
        out += "# TYPE watchkeeper_http_open_connections gauge\n"
        out += "watchkeeper_http_open_connections \(openConnections)\n"
        out += "# HELP watchkeeper_database_commit_duration_seconds Time of each durable database commit (group commit).\n"
        out += "# TYPE watchkeeper_database_commit_duration_seconds histogram\n"
        out += Self.render(snapshot.databaseWrites, name: "watchkeeper_database_commit_duration_seconds", labels: "")
        out += "# HELP watchkeeper_database_write_jobs_total Write jobs committed.\n"
        out += "# TYPE watchkeeper_database_write_jobs_total counter\n"
        out += "watchkeeper_database_write_jobs_total \(snapshot.databaseJobs)\n"
        return out
    }

    private static func render(_ histogram: Histogram, name: String, labels: String) -> String {
        var out = ""
        var cumulative: UInt64 = 0
        for (bound, count) in zip(latencyBuckets, histogram.counts) {
            cumulative += count
            out += "\(name)_bucket{\(labels)le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "\(name)_bucket{\(labels)le=\"+Inf\"} \(histogram.total)\n"
        let bare = labels.isEmpty ? "" : "{\(labels.dropLast())}"
        out += "\(name)_sum\(bare) \(histogram.sum)\n"
        out += "\(name)_count\(bare) \(histogram.total)\n"
        return out
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
