import Foundation
import HTTPServer
import Logging
import Synchronization

/// Collects log messages (the access log) for assertions.
final class TestLogStore: Sendable {
    private let messages = Mutex<[String]>([])
    func append(_ message: String) { messages.withLock { $0.append(message) } }
    var all: [String] { messages.withLock { $0 } }
}

struct TestLogHandler: LogHandler {
    let store: TestLogStore
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append(event.message.description)
    }
}

final class TestRecordStore: Sendable {
    private let records = Mutex<[RequestRecord]>([])
    func append(_ record: RequestRecord) { records.withLock { $0.append(record) } }
    var all: [RequestRecord] { records.withLock { $0 } }
}

/// Starts a real server on an ephemeral port for one test; `stop()` shuts it down.
final class TestServer: Sendable {
    let server: HTTPServer
    let responder: TestResponder
    let logs = TestLogStore()
    let records = TestRecordStore()

    var port: Int { server.localPort }
    var gate: TestGate { responder.gate }

    init(responder: TestResponder = TestResponder(), configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.eventLoopCount = 2
        configuration.minimumWorkers = 2
        configure(&configuration)
        self.responder = responder
        let logs = self.logs
        let logger = Logger(label: "test") { _ in TestLogHandler(store: logs) }
        let records = self.records
        server = HTTPServer(configuration: configuration, responder: responder, logger: logger) { records.append($0) }
        try server.start()
    }

    func stop() {
        server.shutdown()
    }

    deinit { server.shutdown() }

}
