import Foundation
import Logging
import NIOPosix
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastSeason
import PropcastStore
import PropcastTLS
import PropcastTestSupport
import PropcastWire
import PropcastWorker

/// A seeded store, real worker servers in this process (real mutual TLS on 127.0.0.1, the
/// real protocol) with any ``PredictionExecutor`` — honest or not — and a coordinator run
/// against them, all in one temporary directory.
final class PoolHarness: @unchecked Sendable {
    // @unchecked: used from one test task at a time.
    let directory: TemporaryDirectory
    let certificates: TestCertificates
    let storePath: String
    let date: GameDate
    let registry: ModelRegistry
    private(set) var servers: [WorkerServer] = []
    private var serving: [Task<Void, any Error>] = []
    private(set) var ports: [Int] = []

    /// Seeds a small store (96 players, the season's first weeks) and finds a date with games.
    init() async throws {
        directory = try TemporaryDirectory(prefix: "pool")
        certificates = try await TestCertificates.make(hosts: ["127.0.0.1"], prefix: "pool")
        storePath = directory.file("store.sqlite")
        let last = GameDate("2024-11-12")!
        try StoreSeeder(configuration: StoreSeedConfiguration(players: 96, seed: 5, lastDate: last)).seed(path: storePath)
        let store = try FeatureStore(path: storePath)
        var day = last
        while try store.readiness(on: day).playersWithFeatures < 20 { day = day.adding(days: -1) }
        date = day
        registry = try ModelRegistry.load(from: RepositoryPaths.ops("models"))
    }

    /// The honest executor every test compares against.
    var honest: EnginePredictionExecutor { EnginePredictionExecutor(registry: registry) }

    /// Starts a worker serving `executor`; returns its port.
    @discardableResult
    func startWorker(_ executor: any PredictionExecutor, slots: Int = 2) async throws -> Int {
        let tls = try TLSContext(configuration: TLSConfiguration(
            certificatePath: certificates.workerCert("127.0.0.1"), privateKeyPath: certificates.workerKey("127.0.0.1"),
            trustRootsPath: certificates.ca, role: .worker))
        let server = try await WorkerServer.bind(
            configuration: WorkerConfiguration(host: "127.0.0.1", port: 0, slots: slots, nodeID: "pool-\(servers.count)"),
            tls: tls, executor: executor, group: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "test.pool.worker"))
        guard let port = server.localAddress.port else { throw TestSupportError("worker bound no port") }
        servers.append(server)
        serving.append(Task { try await server.run() })
        ports.append(port)
        return port
    }

    /// Lists a worker address nothing listens on.
    func addUnreachableWorker(port: Int) { ports.append(port) }

    /// Stops every worker and starts one serving `executor` instead.
    func replaceWorkers(with executor: any PredictionExecutor) async throws {
        for server in servers { await server.stop() }
        for task in serving { _ = try? await task.value }
        servers = []
        serving = []
        ports = []
        try await startWorker(executor)
    }

    /// Runs `batch run` in-process against the started workers.
    func runBatch(maxAttempts: Int = 3, connectGracePeriod: Duration = .seconds(5),
                  stop: BatchStopSignal = BatchStopSignal()) async throws -> BatchReport {
        try await BatchRunner(configuration: configuration(maxAttempts: maxAttempts, connectGracePeriod: connectGracePeriod),
                              tls: try coordinatorTLS(), group: MultiThreadedEventLoopGroup.singleton,
                              logger: quietLogger, stop: stop).run()
    }

    /// The batch configuration of `date` against the started workers.
    func configuration(for date: GameDate? = nil, maxAttempts: Int = 3, connectGracePeriod: Duration = .seconds(5),
                       requestTimeout: Duration = .seconds(10)) -> BatchConfiguration {
        BatchConfiguration(
            date: date ?? self.date, storePath: storePath, journalDirectory: directory.file("journal"),
            workers: ports.map { Endpoint(host: "127.0.0.1", port: $0) }, nodeID: "pool-coordinator",
            readinessWait: .zero, requestTimeout: requestTimeout, maxAttempts: maxAttempts,
            maxReconnectBackoff: .milliseconds(200), connectGracePeriod: connectGracePeriod)
    }

    /// The coordinator's TLS context.
    func coordinatorTLS() throws -> TLSContext {
        try TLSContext(configuration: TLSConfiguration(
            certificatePath: certificates.coordinatorCert, privateKeyPath: certificates.coordinatorKey,
            trustRootsPath: certificates.ca, role: .coordinator))
    }

    var quietLogger: Logger {
        var logger = Logger(label: "test.pool.coordinator")
        logger.logLevel = .critical
        return logger
    }

    /// The date's journal, verified.
    func journal(_ date: GameDate? = nil) throws -> JournalReader.Contents {
        let date = date ?? self.date
        return try JournalReader.read(path: JournalDirectory(directory.file("journal")).journalPath(for: date), date: date)
    }

    /// The rows the in-process engine gives for every player of the date, by player.
    func referenceRows(_ date: GameDate? = nil) throws -> [PlayerLookup: Set<PredictionID>] {
        let engine = PredictionEngine(registry: registry)
        let inputs = try FeatureStore(path: storePath).playerInputs(on: date ?? self.date)
        return Dictionary(uniqueKeysWithValues: inputs.map { ($0.player, Set(engine.predict($0).rows.map(\.predictionID))) })
    }

    /// The current journal rows by player.
    func journaledRows(_ date: GameDate? = nil) throws -> [PlayerLookup: Set<PredictionID>] {
        try journal(date).index.currentRows.mapValues { Set($0.keys) }
    }

    func stop() async {
        for server in servers { await server.stop() }
        for task in serving { _ = try? await task.value }
        directory.remove()
    }
}

/// An executor that answers like the honest one, then rewrites the answer with `tamper`
/// (given the request and the attempt's answer). Stands in for a worker with a valid
/// certificate that lies or breaks.
struct TamperingExecutor: PredictionExecutor {
    let honest: EnginePredictionExecutor
    let tamper: @Sendable (WirePredictRequest, inout WirePredictResult) -> Void
    var modelVersions: [WireModelVersion] { honest.modelVersions }

    func execute(_ request: WirePredictRequest) async -> Envelope {
        let answer = await honest.execute(request)
        guard case .predictResult(var result) = answer.body else { return answer }
        tamper(request, &result)
        return Envelope(.predictResult(result))
    }
}
