import Foundation
import PropcastCoordinator
import PropcastModels
import PropcastPostgres

/// Everything `propcast coordinator` needs, with documented defaults. Built from flags in
/// one place (the CLI); the service reads no flags or environment.
public struct CoordinatorServiceConfiguration: Sendable {
    /// The batch settings every run starts from (store, journal directory, workers, TLS
    /// timings, readiness rule, SLA); each run sets its own date.
    public var batch: BatchConfiguration
    /// Where the HTTP API and dashboard listen. Default 127.0.0.1:9430.
    public var httpHost: String
    public var httpPort: Int
    /// Serve HTTP over mutual TLS (required off loopback; the CLI enforces it).
    public var httpTLS: Bool
    /// The watch window: from this time of day the service checks readiness, until this
    /// time it refreshes the day. Default 00:00–07:00 in ``timeZone``.
    public var window: WatchWindow
    /// How often readiness is checked while the date waits. Default 60 s.
    public var pollInterval: Duration
    /// How often a predicted date is re-planned within the window. Default 15 min.
    public var refreshInterval: Duration
    /// Watch this date instead of today (tests, catch-up).
    public var fixedDate: GameDate?
    /// Alert deliveries (webhook and/or command). Default: none (alerts are logged only).
    public var alerts: AlertDestinations
    /// A worker down for longer than this raises an alert. Default 10 min.
    public var workerDownAlert: Duration
    /// How often each worker is probed for the worker table. Default 30 s.
    public var workerProbeInterval: Duration
    /// Keep this database's `player_prop_predictions` current: the date is exported after each
    /// run that ends with a report. Default: none.
    public var exportPostgres: PostgresURL?
    /// The channel a PostgreSQL store's writer notifies (`NOTIFY propcast_store_ready, 'YYYY-MM-DD'`)
    /// to start that date at once; listened to when the store is a `postgresql://` URL.
    public var storeReadyChannel = "propcast_store_ready"

    /// Creates a configuration; see the property docs for defaults.
    public init(batch: BatchConfiguration, httpHost: String = "127.0.0.1", httpPort: Int = 9430, httpTLS: Bool = false,
                window: WatchWindow = WatchWindow(), pollInterval: Duration = .seconds(60),
                refreshInterval: Duration = .seconds(900), fixedDate: GameDate? = nil,
                alerts: AlertDestinations = AlertDestinations(), workerDownAlert: Duration = .seconds(600),
                workerProbeInterval: Duration = .seconds(30), exportPostgres: PostgresURL? = nil) {
        self.batch = batch
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.httpTLS = httpTLS
        self.window = window
        self.pollInterval = pollInterval
        self.refreshInterval = refreshInterval
        self.fixedDate = fixedDate
        self.alerts = alerts
        self.workerDownAlert = workerDownAlert
        self.workerProbeInterval = workerProbeInterval
        self.exportPostgres = exportPostgres
    }
}

/// Where alerts go.
public struct AlertDestinations: Sendable {
    /// `http://` URL that gets each alert as a JSON POST.
    public var webhook: String?
    /// A shell command run with the alert's JSON on standard input (and `PROPCAST_ALERT_*`
    /// variables).
    public var command: String?
    /// Attempts per delivery before it is given up (logged). Default 5, with back-off from 1 s.
    public var attempts: Int
    public var firstBackoff: Duration

    public init(webhook: String? = nil, command: String? = nil, attempts: Int = 5, firstBackoff: Duration = .seconds(1)) {
        self.webhook = webhook
        self.command = command
        self.attempts = max(1, attempts)
        self.firstBackoff = firstBackoff
    }
}
