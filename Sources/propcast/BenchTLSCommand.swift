import ArgumentParser
import PropcastBench

/// `propcast bench tls`: transport throughput over real loopback sockets with mutual TLS.
struct BenchTLSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "Measure mTLS round trips/s for small frames and MB/s for 64 KiB frames on loopback.",
        discussion: """
            Starts an in-process worker on 127.0.0.1 with the given worker certificate and connects \
            to it as coordinator, through the same TLS handler, framing and codec as production. \
            Small frames: sequential Ping/Pong round trips. Large frames: PredictRequests padded to \
            --frame-bytes, sent with --window outstanding; each is answered with a short \
            rejection (the bench worker loads no models), so the figure is one-direction payload \
            throughput. Make certificates with: Ops/certs.sh --dir DIR 127.0.0.1
            """)

    @Option(help: "Directory made by Ops/certs.sh that has a certificate for 127.0.0.1.") var certs: String
    @Option(help: "How long to run each measurement (e.g. 3s).") var duration = DurationArgument(argument: "3s")!
    @Option(help: "Payload size of the large frames, in bytes.") var frameBytes: Int = 64 * 1024
    @Option(help: "Large frames in flight at once.") var window: Int = 8
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var benchmark = TLSBenchmark(certs: certs)
        (benchmark.duration, benchmark.frameBytes, benchmark.window) = (duration.duration, frameBytes, window)
        try await benchmark.run { print($0) }
    }
}
