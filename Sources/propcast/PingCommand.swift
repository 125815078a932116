import ArgumentParser
import Foundation
import PropcastTLS
import PropcastWire

/// `propcast ping HOST:PORT`: checks a worker end to end (TCP, mutual TLS, Hello, Ping).
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Connect to a worker as coordinator, show its Hello and the round-trip time."
    )

    @Argument(help: "The worker's address, HOST:PORT. HOST must appear in the worker certificate's SAN.")
    var worker: String

    @Option(name: .shortAndLong, help: "Number of pings.") var count: Int = 3
    @Option(help: "Name of this coordinator in Hello.") var nodeId: String = ProcessInfo.processInfo.hostName
    @Option(help: "Time allowed for connect, TLS and Hello (e.g. 10s).")
    var timeout: DurationArgument = DurationArgument(argument: "10s")!

    @OptionGroup var tls: TLSOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let endpoint: Endpoint
        do {
            let (parsed, defaulted) = try Endpoint.worker(parsing: worker)
            if defaulted { printToStderr("propcast: worker \(worker) → \(parsed) (the default port)") }
            endpoint = parsed
        } catch {
            throw CommandFailure(.usage, "\(error)")
        }
        guard count > 0 else { throw CommandFailure(.usage, "--count must be at least 1") }
        var probe = WorkerProbe(endpoint: endpoint, nodeID: nodeId)
        (probe.timeout, probe.count) = (timeout.duration, count)
        let context = try tls.makeContext(role: .coordinator)
        do {
            try await probe.run(tls: context) { print($0) }
        } catch {
            throw CommandFailure(.noWorker, "worker \(endpoint) unreachable: \(error)")
        }
    }
}
