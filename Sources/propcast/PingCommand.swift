import ArgumentParser
import Foundation
import NIOPosix
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
        let context = try tls.makeContext(role: .coordinator)
        let wire = WireConfiguration(sessionSetupTimeout: timeout.duration)
        let count = self.count
        do {
            try await WireClient.withSession(host: endpoint.host, port: endpoint.port, tls: context, nodeID: nodeId,
                                             configuration: wire, group: MultiThreadedEventLoopGroup.singleton) { session in
                let worker = session.worker
                print("connected to \(endpoint): \(session.peer.protocolVersion) \(session.peer.cipher), "
                      + "certificate CN=\(session.peer.certificate.commonName) role=\(session.peer.certificate.organizationalUnit)")
                print("worker hello: node_id=\(worker.nodeID) slots=\(worker.slots) protocol=\(worker.protocolVersion) "
                      + "software=\(worker.softwareVersion)")
                for model in worker.modelVersions {
                    print("  model \(model.systemID) \(model.version)")
                }
                for sequence in 1...count {
                    let rtt = try await session.ping()
                    print(String(format: "pong %d: rtt %.3f ms", sequence, rtt.milliseconds))
                }
                await session.goodbye("ping done")
            }
        } catch {
            throw CommandFailure(.noWorker, "worker \(endpoint) unreachable: \(error)")
        }
    }
}

extension Duration {
    /// The duration in (fractional) milliseconds.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
