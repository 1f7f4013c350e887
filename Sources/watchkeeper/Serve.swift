import ArgumentParser
import Dispatch
import Foundation
import HTTPServer
import Synchronization
import WatchkeeperApp

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the server (applies pending migrations first).",
        discussion: "Stops gracefully on SIGTERM or SIGINT: no new connections, requests in flight finish, exit within 10 seconds."
    )

    @OptionGroup var options: ServerOptions

    func run() throws {
        var configuration = try options.resolve()
        let logger = options.bootstrapLogging(configuration)
        let openFiles = OpenFileLimit.raiseToMaximum()
        if openFiles < 4096 {
            logger.warning("only \(openFiles) open files allowed: at most about that many client connections (raise the hard limit, e.g. LimitNOFILE)")
        }
        // Signals are caught before anything starts, so a SIGTERM that arrives during start-up
        // still stops the server gracefully instead of killing it.
        let state = Mutex<(application: Application?, stopRequested: Bool)>((nil, false))
        let stopping = SignalHandlers.onTermination {
            let application = state.withLock { state in
                state.stopRequested = true
                return state.application
            }
            logger.info("shutting down")
            application?.shutdown()
        }
        let application: Application
        do {
            try configuration.choosePortForDerivedPublicURL()
            application = try Application(configuration: configuration, logger: logger)
            try application.start()
        } catch let error as StartupError {
            logger.critical("\(error.description)")
            throw ExitCode(1)
        }
        let stopRequested = state.withLock { state in
            state.application = application
            return state.stopRequested
        }
        if stopRequested { application.shutdown() }
        application.waitUntilStopped()
        // The listener stopped because a signal began the shutdown; wait for it to close the
        // database before the process exits.
        application.shutdown()
        withExtendedLifetime(stopping) {}
        logger.info("stopped")
    }
}

/// SIGTERM and SIGINT run `action` once, on a dispatch queue rather than in signal context.
enum SignalHandlers {
    static func onTermination(_ action: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        let queue = DispatchQueue(label: "watchkeeper.signals")
        let once = OnceFlag()
        return [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { if once.claim() { action() } }
            source.resume()
            return source
        }
    }
}
