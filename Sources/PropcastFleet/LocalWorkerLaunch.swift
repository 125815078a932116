import PropcastWire

/// How to start one `propcast worker` process on this machine, on 127.0.0.1 and a free port.
public struct LocalWorkerLaunch: Sendable {
    /// The `propcast` binary.
    public var binary: String
    /// The model directory (`--models`).
    public var models: String
    /// The worker's certificate, key and the pool CA (`--cert`, `--key`, `--ca`).
    public var certificate: String
    public var privateKey: String
    public var trustRoots: String
    /// `--node-id`.
    public var nodeID: String
    /// `--slots` (default 2).
    public var slots: Int
    /// `--log-level` (default warning).
    public var logLevel: String
    /// Further worker flags, e.g. `["--simulate-latency", "20ms"]`.
    public var extraArguments: [String]
    /// Where the worker's stderr (its log) goes; nil discards it.
    public var logFile: String?
    /// How long the worker may take to print its ready line before it is killed.
    public var readyTimeout: Duration

    /// A launch with the defaults above.
    public init(binary: String, models: String, certificate: String, privateKey: String, trustRoots: String,
                nodeID: String, slots: Int = 2, logLevel: String = "warning", extraArguments: [String] = [],
                logFile: String? = nil, readyTimeout: Duration = .seconds(30)) {
        self.binary = binary
        self.models = models
        self.certificate = certificate
        self.privateKey = privateKey
        self.trustRoots = trustRoots
        self.nodeID = nodeID
        self.slots = slots
        self.logLevel = logLevel
        self.extraArguments = extraArguments
        self.logFile = logFile
        self.readyTimeout = readyTimeout
    }

    /// A launch with the 127.0.0.1 worker certificate of a directory made by `Ops/certs.sh`
    /// (`worker-127.0.0.1.pem`, `worker-127.0.0.1.key`, `ca.pem`).
    public init(binary: String, models: String, certificateDirectory directory: String, nodeID: String,
                slots: Int = 2, logLevel: String = "warning", extraArguments: [String] = [], logFile: String? = nil) {
        self.init(binary: binary, models: models, certificate: "\(directory)/worker-127.0.0.1.pem",
                  privateKey: "\(directory)/worker-127.0.0.1.key", trustRoots: "\(directory)/ca.pem", nodeID: nodeID,
                  slots: slots, logLevel: logLevel, extraArguments: extraArguments, logFile: logFile)
    }

    /// The worker's command line after the binary.
    public var arguments: [String] {
        ["worker", "--listen", "127.0.0.1:0", "--slots", "\(slots)", "--node-id", nodeID, "--models", models,
         "--cert", certificate, "--key", privateKey, "--ca", trustRoots, "--log-level", logLevel] + extraArguments
    }

    /// The address in a worker's ready line,
    /// `propcast worker NODE listening on HOST:PORT (slots …)`; nil for any other line.
    public static func endpoint(inReadyLine line: Substring) -> Endpoint? {
        guard let range = line.range(of: " listening on ") else { return nil }
        let address = line[range.upperBound...].prefix { $0 != " " }
        return try? Endpoint(parsing: String(address))
    }
}
