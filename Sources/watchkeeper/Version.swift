import ArgumentParser
import WatchkeeperApp

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("watchkeeper \(WatchkeeperVersion.current)")
    }
}
