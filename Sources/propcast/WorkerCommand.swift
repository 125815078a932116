import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PropcastTLS
import PropcastWire
import PropcastWorker

/// `propcast worker`: the long-running daemon on each host.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker daemon: accept coordinators over mutual TLS and answer prediction requests."
    )

    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free port).")
    var listen: String = "0.0.0.0:7420"

    @Option(help: "Requests run at once (default: number of cores).")
    var slots: Int?

    @Option(help: "Name of this worker in Hello and logs (default: host name).")
    var nodeId: String?

    @Option(help: "Largest frame accepted, in bytes.")
    var maxFrameBytes: Int = 16 * 1024 * 1024

    @OptionGroup var tls: TLSOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try await reportingFailures {
            let logger = logging.makeLogger(label: "propcast.worker")
            let endpoint: Endpoint
            do { endpoint = try Endpoint(parsing: listen) } catch { throw CommandFailure(exitCode: 2, "--listen: \(error)") }
            let slots = self.slots ?? ProcessInfo.processInfo.activeProcessorCount
            guard slots > 0 else { throw CommandFailure(exitCode: 2, "--slots must be at least 1 (got \(slots))") }
            let tlsContext = try tls.makeContext(role: .worker)
            let configuration = WorkerConfiguration(
                host: endpoint.host, port: endpoint.port, slots: slots,
                nodeID: nodeId ?? ProcessInfo.processInfo.hostName,
                wire: WireConfiguration(maxFrameBytes: maxFrameBytes))
            let server = try await WorkerServer.bind(configuration: configuration, tls: tlsContext, executor: nil,
                                                     group: MultiThreadedEventLoopGroup.singleton, logger: logger)
            // The ready line: scripts and tests wait for it and read the bound address from it.
            printFlushed("propcast worker \(configuration.nodeID) listening on \(server.localAddress.hostAndPort) "
                         + "(slots \(slots), certificate CN=\(tlsContext.certificate.commonName))")
            try await server.run()
        }
    }
}
