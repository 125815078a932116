import Foundation
import Logging
import NIOCore
import PropcastCoordinator
import PropcastHTTP
import PropcastModels
import PropcastPostgres
import PropcastStore
import PropcastTLS
import PropcastWire
import ServiceLifecycle

/// `propcast coordinator`: the long-running coordinator. It watches today's date (or
/// `--date`) through the window — readiness every poll interval, the batch the moment the rule
/// passes, a re-plan every refresh interval — takes triggers and backfills over HTTP, probes the
/// workers, raises alerts, and serves the API, `/metrics` and the dashboard. On graceful
/// shutdown running batches stop with what has arrived journaled (`batch retry` or the next
/// start resumes them).
public struct CoordinatorDaemon: Service {
    let configuration: CoordinatorServiceConfiguration
    let tls: TLSContext
    let httpTLS: TLSContext?
    let group: any EventLoopGroup
    let logger: Logger
    let ready: @Sendable (String) -> Void

    /// A daemon; `tls` speaks to the workers, `httpTLS` (when HTTP must be TLS) serves the API.
    /// `ready` gets the listening line once the API is up.
    public init(configuration: CoordinatorServiceConfiguration, tls: TLSContext, httpTLS: TLSContext?,
                group: any EventLoopGroup, logger: Logger, ready: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.tls = tls
        self.httpTLS = httpTLS
        self.group = group
        self.logger = logger
        self.ready = ready
    }

    /// Runs until graceful shutdown or cancellation.
    /// - Throws: ``HTTPError`` when the API cannot listen or the webhook URL is unusable.
    public func run() async throws {
        let stop = BatchStopSignal()
        let metrics = ServiceMetrics()
        let alerts = AlertCenter(coordinator: configuration.batch.nodeID,
                                 delivery: try AlertDelivery(destinations: configuration.alerts, metrics: metrics, logger: logger))
        let runs = DateRuns(configuration: configuration,
                            runner: BatchDateRunner(template: configuration.batch, tls: tls, group: group, logger: logger, stop: stop),
                            alerts: alerts, metrics: metrics, logger: logger)
        let workers = WorkerWatch(endpoints: configuration.batch.workers, tls: tls, nodeID: configuration.batch.nodeID,
                                  downAlert: configuration.workerDownAlert, metrics: metrics) { raise, worker, message in
            if raise { await alerts.raise(.workerDown, worker, message) } else { await alerts.clear(.workerDown, worker, message) }
        }
        let api = CoordinatorAPI(configuration: configuration, runs: runs,
                                 catalog: DateCatalog(storePath: configuration.batch.storePath,
                                                      journalDirectory: configuration.batch.journalDirectory),
                                 workers: workers, alerts: alerts, metrics: metrics,
                                 backfills: ServiceBackfills(runs: runs, storePath: configuration.batch.storePath))
        let server = try await HTTPServer.bind(host: configuration.httpHost, port: configuration.httpPort, tls: httpTLS,
                                               group: group)
        let scheme = server.usesTLS ? "https" : "http"
        let watched = configuration.fixedDate.map { "\($0)" } ?? "today"
        ready("propcast coordinator \(configuration.batch.nodeID) listening on \(scheme)://\(server.localAddress.hostAndPort) "
              + "(watching \(watched), window \(configuration.window.text), \(configuration.batch.workers.count) workers)")
        let logger = self.logger
        let configuration = self.configuration
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask {
                // Cancelled below once the runs are over: the end of a graceful shutdown, not an error.
                do { try await server.run(logger: logger) { await api.respond($0) } } catch is CancellationError {}
            }
            tasks.addTask { await workers.run(every: configuration.workerProbeInterval) }
            tasks.addTask { await Self.watch(configuration, runs: runs, alerts: alerts, logger: logger) }
            if let store = PostgresURL(configuration.batch.storePath) {
                tasks.addTask { await Self.startOnNotifications(store, configuration, runs: runs, logger: logger) }
            }
            do { try await gracefulShutdown() } catch {}
            logger.notice("shutting down: stopping running batches (what arrived is journaled)")
            await stop.trigger("SIGTERM")
            await runs.waitForRuns()
            tasks.cancelAll()
        }
    }

    /// The watch loop: every tick the date's ``DateWatch`` says what to do.
    static func watch(_ configuration: CoordinatorServiceConfiguration, runs: DateRuns, alerts: AlertCenter,
                      logger: Logger) async {
        // A quarter of the poll interval (at most 1 s): checks fall due within that of their time.
        let tick = min(configuration.pollInterval / 4, .seconds(1))
        var lastReasons: [String] = []
        while !Task.isCancelled {
            let now = Date()
            let date = configuration.fixedDate ?? configuration.window.date(of: now)
            await runs.watch(date)
            switch await runs.tick(phase: configuration.window.phase(of: now)) {
            case .checkReadiness:
                let (ready, reasons) = readiness(of: date, configuration.batch)
                if reasons != lastReasons {
                    logger.info(ready ? "feature store ready" : "waiting for the feature store",
                                metadata: ["date": "\(date)", "reasons": "\(reasons.joined(separator: "; "))"])
                    lastReasons = reasons
                }
                await runs.readinessChecked(date, ready: ready)
            case .refresh:
                if case .started = await runs.start(date, trigger: .refresh) {
                    logger.info("refresh found changes; re-predicting", metadata: ["date": "\(date)"])
                }
            case .alertStoreNotReady:
                await alerts.raise(.storeNotReady, "\(date)", "the feature store was not ready for \(date) by the end of "
                                   + "the watch window (\(configuration.window.text)): \(lastReasons.joined(separator: "; "))")
            case .none:
                break
            }
            try? await Task.sleep(for: tick)
        }
    }

    /// Starts each date the store's writer notifies (see ``StoreNotifications``).
    static func startOnNotifications(_ store: PostgresURL, _ configuration: CoordinatorServiceConfiguration,
                                     runs: DateRuns, logger: Logger) async {
        let notifications = StoreNotifications(url: store, channel: configuration.storeReadyChannel, logger: logger)
        for await date in notifications.dates() {
            let answer = switch await runs.start(date, trigger: .notify) {
            case .started(let record): "run \(record.id) started"
            case .running: "already running"
            case .complete: "already complete"
            case .refused(let error): "refused: \(error)"
            }
            logger.info("store notification", metadata: ["date": "\(date)", "answer": "\(answer)"])
        }
    }

    /// Whether the store has enough players ready for the date (the quality gate is the run's
    /// to apply, so that a low-quality date raises its own alert).
    static func readiness(of date: GameDate, _ batch: BatchConfiguration) -> (ready: Bool, reasons: [String]) {
        do {
            let readiness = try FeatureStore(path: batch.storePath).readiness(on: date)
            if readiness.hasNoGames { return (true, ["no games scheduled"]) }
            var rule = batch.readinessRule
            rule.minAverageQuality = 0
            let verdict = rule.evaluate(readiness)
            return (verdict.isReady, verdict.reasons)
        } catch {
            return (false, ["cannot read the store: \(error)"])
        }
    }
}
