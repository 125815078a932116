import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PropcastCoordinator
import PropcastHTTP
import PropcastModels
import PropcastPostgres
import PropcastService
import PropcastTLS
import PropcastWire
import ServiceLifecycle

/// `propcast coordinator`: the long-running coordinator service.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run the coordinator service: predict the date the moment the store is ready, keep it current, "
            + "take triggers and backfills over HTTP, alert, and serve the dashboard.",
        discussion: """
            From --watch-from it checks the date's readiness every --poll-interval and runs the batch when the rule \
            passes; POST /api/v1/dates/DATE/runs starts a date at once (the feature-store writer's completion event). \
            Until --watch-until it re-plans the date every --refresh (new or withdrawn lines, corrected inputs, \
            players that became ready). Prints one ready line on stdout: \
            propcast coordinator NODE listening on http://HOST:PORT (…). SIGTERM/SIGINT stop running batches with \
            what arrived journaled, then exit 0. Exit 2 on bad options or certificates.
            """)

    @Option(help: "Game date to watch instead of today, YYYY-MM-DD (tests, catch-up).") var date: String?
    @OptionGroup var target: BatchTargetOptions
    @Option(help: "API and dashboard address, HOST:PORT; off loopback it is served over mutual TLS (--cert/--key/--ca).")
    var http: String = "127.0.0.1:9430"
    @Flag(help: "Serve the API over mutual TLS on loopback too.") var httpTls = false
    @Option(help: "Server certificate of the HTTPS API (Ops/certs.sh api:HOST; default --cert).") var httpCert: String?
    @Option(help: "Private key of --http-cert.") var httpKey: String?
    @Option(help: "Time zone of the watch window and of \"today\" (IANA name).") var timezone: String = "America/Los_Angeles"
    @Option(help: "When the watch starts checking readiness, HH:MM.") var watchFrom: String = "00:00"
    @Option(help: "When the watch stops refreshing the date, HH:MM (24:00 = midnight).") var watchUntil: String = "07:00"
    @Option(help: "How often readiness is checked while the date waits.")
    var pollInterval: DurationArgument = DurationArgument(argument: "60s")!
    @Option(help: "How often a predicted date is re-planned within the window.")
    var refresh: DurationArgument = DurationArgument(argument: "15m")!
    @Option(help: "POST each alert as JSON to this http:// URL (the body carries a Slack-compatible \"text\").")
    var alertWebhook: String?
    @Option(help: "Run this shell command per alert, with the alert's JSON on stdin.") var alertCommand: String?
    @Option(help: "Alert when a worker has been unreachable this long.")
    var workerDownAlert: DurationArgument = DurationArgument(argument: "10m")!
    @Option(help: "How often each worker is probed for the worker table.")
    var probeInterval: DurationArgument = DurationArgument(argument: "30s")!

    @Option(help: ArgumentHelp("Keep this PostgreSQL database's player_prop_predictions current after each run.",
                               valueName: "url"))
    var exportPostgres: String?
    @OptionGroup var batch: BatchTuningOptions
    @OptionGroup var sla: SLAOptions
    @OptionGroup var tls: TLSOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let configuration = try makeConfiguration()
        let logger = Logger(label: "propcast.coordinator")
        let context = try tls.makeContext(role: .coordinator)
        let httpTLS = configuration.httpTLS ? try tls.makeHTTPContext(certificate: httpCert, key: httpKey) : nil
        signal(SIGPIPE, SIG_IGN)
        let daemon = CoordinatorDaemon(configuration: configuration, tls: context, httpTLS: httpTLS,
                                       group: MultiThreadedEventLoopGroup.singleton, logger: logger, ready: printFlushed)
        let group = ServiceGroup(configuration: .init(services: [.init(service: daemon, serviceName: "CoordinatorDaemon")],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as HTTPError {
            throw CommandFailure(.usage, error.description)
        }
        logger.notice("coordinator stopped")
    }

    private func makeConfiguration() throws -> CoordinatorServiceConfiguration {
        let fixedDate = try date.map { text in
            guard let date = GameDate(text) else { throw CommandFailure(.usage, "--date '\(text)' is not YYYY-MM-DD") }
            return date
        }
        let endpoint: Endpoint
        do { endpoint = try Endpoint(parsing: http) } catch { throw CommandFailure(.usage, "--http: \(error)") }
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(endpoint.host) || endpoint.host.hasPrefix("127.")
        guard let zone = TimeZone(identifier: timezone) else {
            throw CommandFailure(.usage, "--timezone '\(timezone)' is not a time zone name (e.g. America/Los_Angeles, UTC)")
        }
        guard let from = WatchWindow.minutes(watchFrom), let until = WatchWindow.minutes(watchUntil), from < until else {
            throw CommandFailure(.usage, "--watch-from \(watchFrom) and --watch-until \(watchUntil) must be HH:MM with from before until")
        }
        guard pollInterval.duration >= .milliseconds(100), refresh.duration >= .milliseconds(100) else {
            throw CommandFailure(.usage, "--poll-interval and --refresh must be at least 100ms")
        }
        if let alertWebhook {
            do { _ = try HTTPPost(url: alertWebhook) } catch let error as HTTPError {
                throw CommandFailure(.usage, "--alert-webhook: \(error.description)")
            }
        }
        let export = try exportPostgres.map { text in
            guard let url = PostgresURL(text) else { throw CommandFailure(.usage, "--export-postgres '\(text)' is not a postgresql:// URL") }
            return url
        }
        // Each run sets its own date.
        let template = try batch.makeConfiguration(date: fixedDate ?? GameDate("2000-01-01")!, target: target,
                                                   sla: try sla.makeSLA())
        return CoordinatorServiceConfiguration(
            batch: template, httpHost: endpoint.host, httpPort: endpoint.port, httpTLS: httpTls || !loopback,
            window: WatchWindow(timeZone: zone, from: from, until: until), pollInterval: pollInterval.duration,
            refreshInterval: refresh.duration, fixedDate: fixedDate,
            alerts: AlertDestinations(webhook: alertWebhook, command: alertCommand), workerDownAlert: workerDownAlert.duration,
            workerProbeInterval: probeInterval.duration, exportPostgres: export)
    }
}
