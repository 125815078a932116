import Foundation
import Metrics
import Prometheus
import PropcastCoordinator
import PropcastHTTP
import PropcastModels

/// The coordinator service's metrics on its own Prometheus registry (`GET /metrics`):
/// `propcast_coordinator_runs_total{outcome}`, `propcast_coordinator_batch_duration_seconds`,
/// `propcast_coordinator_coverage_ratio{date}`, `propcast_coordinator_last_success_timestamp_seconds`,
/// `propcast_coordinator_predictions_total{system}`, `propcast_coordinator_workers_up`,
/// `propcast_coordinator_alerts_total{condition,state}`,
/// `propcast_coordinator_alert_deliveries_total{result}`, each with `# HELP`.
public struct ServiceMetrics: Sendable {
    /// The registry behind the metrics.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let duration: Metrics.Timer
    private let lastSuccess: Metrics.Gauge
    private let workersUp: Metrics.Gauge

    static let help: [String: String] = [
        "propcast_coordinator_runs_total": "Batch runs of the service that ended, by outcome (finished, interrupted, abandoned, no_games, failed).",
        "propcast_coordinator_batch_duration_seconds": "Wall time of each batch run.",
        "propcast_coordinator_coverage_ratio": "Covered players / expected players of a date after its last run (0–1).",
        "propcast_coordinator_last_success_timestamp_seconds": "When a run last finished within the coverage SLA (Unix time).",
        "propcast_coordinator_predictions_total": "Predictions journaled by the service's runs, by system.",
        "propcast_coordinator_workers_up": "Workers that answered the last probe.",
        "propcast_coordinator_alerts_total": "Alerts raised and resolved, by condition and state.",
        "propcast_coordinator_alert_deliveries_total": "Alert deliveries (webhook, command) by result: delivered or given_up.",
    ]

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
            .seconds(10), .seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(3600),
        ]
        self.factory = factory
        duration = Metrics.Timer(label: "propcast_coordinator_batch_duration_seconds", factory: factory)
        lastSuccess = Metrics.Gauge(label: "propcast_coordinator_last_success_timestamp_seconds", factory: factory)
        workersUp = Metrics.Gauge(label: "propcast_coordinator_workers_up", factory: factory)
        workersUp.record(0)
    }

    /// A run ended with `outcome`; `report` when it got as far as one.
    func runEnded(outcome: String, report: BatchReport?, duration elapsed: Duration) {
        Metrics.Counter(label: "propcast_coordinator_runs_total", dimensions: [("outcome", outcome)], factory: factory).increment()
        duration.recordNanoseconds(Int64(elapsed / .nanoseconds(1)))
        guard let report, report.outcome != "no_games" else { return }
        Metrics.Gauge(label: "propcast_coordinator_coverage_ratio", dimensions: [("date", report.date.description)], factory: factory)
            .record(report.coverage.coveragePercent / 100)
        for system in SystemID.all {
            let count = report.statistics.predictionsBySystem[system] ?? 0
            Metrics.Counter(label: "propcast_coordinator_predictions_total", dimensions: [("system", system.rawValue)],
                    factory: factory).increment(by: count)
        }
        if report.outcome == "finished", report.slaViolations.isEmpty {
            lastSuccess.record(Date().timeIntervalSince1970)
        }
    }

    /// The workers that answered the last probe.
    func workers(up: Int) { workersUp.record(up) }

    func alertRaised(_ alert: Alert) {
        Metrics.Counter(label: "propcast_coordinator_alerts_total",
                dimensions: [("condition", alert.condition.rawValue), ("state", alert.state.rawValue)], factory: factory).increment()
    }

    func alertDelivered(success: Bool) {
        Metrics.Counter(label: "propcast_coordinator_alert_deliveries_total", dimensions: [("result", success ? "delivered" : "given_up")],
                factory: factory).increment()
    }

    /// The exposition with `# HELP` lines.
    public func exposition() -> [UInt8] {
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return PrometheusHelp.annotate(bytes, texts: Self.help)
    }
}
