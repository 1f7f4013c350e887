import Dispatch
import Foundation
import HTTPServer
import Synchronization

/// Lets a test hold a handler inside its worker until released.
final class TestGate: Sendable {
    let started = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)

    func waitStarted(count: Int = 1) -> Bool {
        for _ in 0..<count where started.wait(timeout: .now() + 10) == .timedOut { return false }
        return true
    }

    func open(count: Int = 1) {
        for _ in 0..<count { release.signal() }
    }
}

struct TestHandlerError: Error {}

/// Routes for the server tests.
struct TestResponder: HTTPResponder {
    var gate = TestGate()

    func route(_ head: HTTPRequestHead) -> RoutedRequest {
        let gate = self.gate
        if head.path.hasPrefix("/secret/") {
            return RoutedRequest(runsOnEventLoop: true, routeName: "/secret/:token", pathHoldsSecret: true) { _ in .text("hidden") }
        }
        switch head.path {
        case "/hello", "/healthz":
            return RoutedRequest(runsOnEventLoop: true, routeName: head.path) { _ in .text("hello") }
        case "/echo":
            return RoutedRequest(routeName: "/echo") { request in
                HTTPResponse(contentType: "application/octet-stream", body: request.body)
            }
        case "/small-limit":
            return RoutedRequest(bodyLimit: 16, routeName: "/small-limit") { request in
                HTTPResponse(contentType: "application/octet-stream", body: request.body)
            }
        case "/slow":
            return RoutedRequest(routeName: "/slow") { request in
                let milliseconds = request.query("ms").flatMap { Int($0) } ?? 300
                Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
                return .text("slow")
            }
        case "/gate":
            return RoutedRequest(routeName: "/gate") { _ in
                gate.started.signal()
                gate.release.wait()
                return .text("released")
            }
        case "/stream":
            return RoutedRequest(routeName: "/stream") { _ in
                HTTPResponse(headers: ["Content-Type": "text/plain"], body: .stream { writer in
                    for index in 0..<3 { try writer.write(Array("part\(index)\n".utf8)) }
                })
            }
        case "/big-stream":
            return RoutedRequest(routeName: "/big-stream") { _ in
                HTTPResponse(body: .stream { writer in
                    for index in 0..<64 { try writer.write([UInt8](repeating: UInt8(index), count: 16384)) }
                })
            }
        case "/fail":
            return RoutedRequest(routeName: "/fail") { _ in throw TestHandlerError() }
        case "/conflict":
            return RoutedRequest(routeName: "/conflict") { _ in throw HTTPError(.conflict, detail: "Already there.") }
        case "/no-content":
            return RoutedRequest(runsOnEventLoop: true) { _ in HTTPResponse(status: .noContent) }
        case "/close":
            return RoutedRequest(runsOnEventLoop: true) { _ in HTTPResponse(status: .ok, headers: ["Connection": "close"], body: .bytes(Array("bye".utf8))) }
        case "/method":
            return RoutedRequest(runsOnEventLoop: true) { request in .text(request.method.rawValue) }
        default:
            return RoutedRequest(runsOnEventLoop: true) { _ in throw HTTPError(.notFound) }
        }
    }
}
