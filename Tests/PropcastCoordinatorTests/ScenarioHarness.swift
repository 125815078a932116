import Foundation
import Logging
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastSeason
import PropcastStore
import PropcastTestSupport
import PropcastWire
import PropcastWorker
import Synchronization

/// The batch actor without sockets: fake worker links answer in-process with the real
/// engine (or misbehave), and an in-memory journal takes the records. Scenarios run in
/// milliseconds; the same events as over TLS reach the actor.
final class Scenario: Sendable {
    let inputs: [PlayerInput]
    let engine: EnginePredictionExecutor
    let reference: PredictionEngine
    let journal = MemoryJournal()
    let batch: BatchActor

    /// The seeded inputs (one store for all scenarios) and a batch over them.
    /// Timers default to a minute: scenarios about other things must not trip over them when
    /// the machine is busy; those about timers set their own.
    init(timeout: Duration = .seconds(60), grace: Duration = .seconds(60), maxAttempts: Int = 3,
         maxInvalidAnswers: Int = 2) throws {
        let fixture = try ScenarioStore.shared.get()
        inputs = fixture.inputs
        engine = EnginePredictionExecutor(registry: fixture.registry)
        reference = PredictionEngine(registry: fixture.registry)
        var logger = Logger(label: "test.scenario")
        logger.logLevel = .critical
        batch = BatchActor(workers: [], journal: journal, configuration: .init(
            maxAttempts: maxAttempts, requestTimeout: timeout, busyPause: .milliseconds(5), noWorkerGrace: grace,
            maxInvalidAnswersPerWorker: maxInvalidAnswers),
            logger: logger)
    }

    /// Connects a fake worker (its `refusal` says whether the batch refused it). Like a real
    /// link, it connects again when the batch closes it while the batch still wants it.
    @discardableResult
    func connect(_ name: WorkerID, slots: Int = 4, perFrame: Int = 4,
                 _ behaviour: FakeWorker.Behaviour = .honest) async -> FakeWorker {
        let worker = FakeWorker(name, behaviour: behaviour, engine: engine, batch: batch)
        let info = WorkerInfo(nodeID: name.address, slots: UInt32(slots), protocolVersion: ProtocolVersion.current,
                              modelVersions: engine.modelVersions, softwareVersion: "test",
                              maxBatchRequests: UInt32(perFrame))
        worker.reconnect = { [weak self] in
            guard let self, await self.batch.shouldConnect(name) else { return }
            await self.connect(name, slots: slots, perFrame: perFrame, behaviour)
        }
        worker.refusal = await batch.workerConnected(name, info: info, outbound: worker)
        return worker
    }

    /// Runs to the end as the coordinator does: the players arrive in chunks of `chunkSize`,
    /// each planned against the journal as it was at the start, no faster than the batch
    /// makes room for them (`readAhead` players beyond what the workers hold).
    func run(chunkSize: Int = 16, readAhead: Int = 16,
             whileRunning: @escaping @Sendable () async -> Void = {}) async throws -> BatchActor.Outcome {
        let versions = try requireValue(await batch.waitForFirstWorker(), "no worker was accepted")
        let opened = await journal.index
        await batch.beginLoading(expecting: inputs.count)
        let side = Task { await whileRunning() }
        for start in stride(from: 0, to: inputs.count, by: chunkSize) {
            let chunk = Array(inputs[start..<min(inputs.count, start + chunkSize)])
            let plan = BatchPlan(inputs: chunk, index: opened, modelVersions: versions)
            if await batch.isOver {
                // As the runner does: a stopped batch's later players are judged at once.
                await batch.recordUnsent(plan.verdicts(of: chunk, index: await journal.index))
                continue
            }
            await batch.add(inputs: chunk, plan: plan)
            await batch.waitForRoom(reserve: readAhead)
        }
        await batch.loadingFinished()
        let outcome = await batch.waitUntilOver()
        side.cancel()
        await batch.waitForJournaling()
        return outcome
    }

    /// What the in-process engine gives for every player, by player.
    func referenceRows() -> [PlayerLookup: Set<PredictionID>] {
        let engine = reference
        return Dictionary(uniqueKeysWithValues: inputs.map { ($0.player, Set(engine.predict($0).rows.map(\.predictionID))) })
    }

    /// The coverage the batch reached by its verdicts, and the same computed afresh from the
    /// journal for every player (they must agree).
    func coverage() async -> (batch: CoverageReport, journal: CoverageReport) {
        let index = await journal.index
        let (tally, undecided) = await batch.coverageSoFar
        var complete = tally
        for expected in undecided { complete.add(expected.player, CoverageVerdict(expected, index: index)) }
        let versions = await batch.waitForFirstWorker() ?? [:]
        let all = inputs.map { ExpectedPredictions($0, modelVersions: versions) }
        return (CoverageReport(tally: complete, unreadable: [:], index: index, expectedPlayers: inputs.count),
                CoverageReport(expectations: all, unreadable: [:], index: index, expectedPlayers: inputs.count))
    }

    /// The journaled predictions by player (each id must appear once).
    func journaledRows() async -> [PlayerLookup: Set<PredictionID>] {
        await journal.index.currentRows.mapValues { Set($0.keys) }
    }
}

/// A store seeded once for every scenario: 60 players on a date with games.
final class ScenarioStore: Sendable {
    static let shared = ScenarioStore()
    private let fixture = Mutex<Result<(inputs: [PlayerInput], registry: ModelRegistry), any Error>?>(nil)

    /// Seeds the scenarios' store (60 players) in `directory`: its path and a date with at
    /// least 12 players.
    static func seed(in directory: TemporaryDirectory) throws -> (path: String, date: GameDate) {
        let path = directory.file("store.sqlite")
        let last = GameDate("2024-11-12")!
        try StoreSeeder(configuration: StoreSeedConfiguration(players: 60, seed: 9, lastDate: last)).seed(path: path)
        let store = try FeatureStore(path: path)
        var day = last
        while try store.readiness(on: day).playersWithFeatures < 12 { day = day.adding(days: -1) }
        return (path, day)
    }

    func get() throws -> (inputs: [PlayerInput], registry: ModelRegistry) {
        try fixture.withLock { cached in
            if let cached { return try cached.get() }
            let result = Result { () throws -> (inputs: [PlayerInput], registry: ModelRegistry) in
                let directory = try TemporaryDirectory(prefix: "scenario")
                defer { directory.remove() }
                let (path, day) = try Self.seed(in: directory)
                return (try FeatureStore(path: path).playerInputs(on: day), try ModelRegistry.load(from: RepositoryPaths.ops("models")))
            }
            cached = result
            return try result.get()
        }
    }
}

/// A journal in memory with the real one's duplicate rule: a prediction id already present
/// is not written again.
actor MemoryJournal: BatchJournal {
    private(set) var entries: [JournalEntry] = []
    private(set) var index = JournalIndex()
    /// Commits: one per `append` call, one per `append(groups:)` call (as the real journal syncs).
    private(set) var commits = 0

    nonisolated func append(_ entries: [JournalEntry]) async throws -> [AppendOutcome] {
        await add(entries)
    }

    nonisolated func append(groups: [[JournalEntry]]) async -> [Result<[AppendOutcome], any Error>] {
        await addGroups(groups).map { .success($0) }
    }

    private func addGroups(_ groups: [[JournalEntry]]) -> [[AppendOutcome]] {
        commits += 1
        return groups.map { group in add(group, commit: false) }
    }

    private func add(_ new: [JournalEntry], commit: Bool = true) -> [AppendOutcome] {
        if commit { commits += 1 }
        return new.map { entry in
            if let id = entry.predictionID, index.currentIDs.contains(id) { return .alreadyJournaled(id) }
            entries.append(entry)
            index.add(entry, timestamp: "2026-12-01T00:00:00Z")
            return .written(seq: UInt64(entries.count))
        }
    }
}

func requireValue<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw TestSupportError(message) }
    return value
}
