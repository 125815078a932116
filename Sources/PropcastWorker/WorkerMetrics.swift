import Metrics
import PropcastModels
import PropcastWire

/// How one request ended, for the `propcast_requests_total{outcome=…}` counter.
public enum RequestOutcome: String, CaseIterable, Sendable {
    /// A PredictResult with predictions (or system skips).
    case result
    /// A PredictResult in which validation skipped the whole player.
    case skipped
    /// PredictRejected(CODE_BUSY): no free slot on the connection or the worker.
    case rejectedBusy = "rejected_busy"
    /// PredictRejected(CODE_INVALID_REQUEST): the request was malformed.
    case rejectedInvalid = "rejected_invalid"
    /// PredictRejected(CODE_DRAINING): the worker is shutting down.
    case rejectedDraining = "rejected_draining"
    /// PredictRejected(CODE_INTERNAL) or an unknown code.
    case rejectedInternal = "rejected_internal"
}

/// The worker's metrics, made through an explicit swift-metrics factory (Prometheus when
/// `--metrics-port` is given, no-op otherwise) so nothing depends on a global bootstrap and
/// several workers can live in one test process.
///
/// Names: `propcast_requests_total{outcome}`, `propcast_system_failures_total{system,reason}`
/// (reason: `invalid_output` or `error`, ``SystemFailure/Kind``),
/// `propcast_requests_in_flight`, `propcast_slots`, `propcast_system_latency_seconds{system}`
/// (histogram), `propcast_predict_seconds` (histogram, whole engine run),
/// `propcast_model_load_seconds`, `propcast_connections`, `propcast_build_info{version,protocol}`,
/// `propcast_process_{start_time_seconds,resident_memory_bytes,open_fds}`; `# HELP` for each
/// in ``MetricsHelp``.
public struct WorkerMetrics: Sendable {
    private let requests: [RequestOutcome: Counter]
    private let failures: [FailureKey: Counter]
    /// Predictions running now.
    public let inFlight: Meter
    /// Open coordinator connections.
    public let connections: Meter
    /// Seconds the model registry took to load.
    public let modelLoadSeconds: Gauge
    /// Per-system evaluation time.
    private let systemLatency: [SystemID: Timer]
    /// Whole engine run per request (validation, five systems, rows).
    public let predictLatency: Timer
    /// Requests run at once (`--slots`).
    public let slots: Gauge
    /// Always 1, labelled with the build.
    private let buildInfo: Gauge
    private let residentMemory: Gauge
    private let openDescriptors: Gauge
    private let startTime: Gauge

    /// Metrics created through `factory`.
    public init(factory: any MetricsFactory) {
        requests = Dictionary(uniqueKeysWithValues: RequestOutcome.allCases.map { outcome in
            (outcome, Counter(label: "propcast_requests_total", dimensions: [("outcome", outcome.rawValue)], factory: factory))
        })
        failures = Dictionary(uniqueKeysWithValues: SystemID.all.flatMap { system in
            SystemFailure.Kind.allCases.map { kind in
                (FailureKey(system: system, kind: kind),
                 Counter(label: "propcast_system_failures_total",
                         dimensions: [("system", system.rawValue), ("reason", kind.rawValue)], factory: factory))
            }
        })
        inFlight = Meter(label: "propcast_requests_in_flight", factory: factory)
        connections = Meter(label: "propcast_connections", factory: factory)
        modelLoadSeconds = Gauge(label: "propcast_model_load_seconds", factory: factory)
        systemLatency = Dictionary(uniqueKeysWithValues: SystemID.all.map { system in
            (system, Timer(label: "propcast_system_latency_seconds", dimensions: [("system", system.rawValue)], factory: factory))
        })
        predictLatency = Timer(label: "propcast_predict_seconds", factory: factory)
        slots = Gauge(label: "propcast_slots", factory: factory)
        buildInfo = Gauge(label: "propcast_build_info", dimensions: [("version", PropcastVersion.number),
                                                                     ("protocol", "\(ProtocolVersion.current)")],
                          factory: factory)
        residentMemory = Gauge(label: "propcast_process_resident_memory_bytes", factory: factory)
        openDescriptors = Gauge(label: "propcast_process_open_fds", factory: factory)
        startTime = Gauge(label: "propcast_process_start_time_seconds", factory: factory)
        buildInfo.record(1)
        startTime.record(ProcessFigures.startTime)
    }

    /// Samples the process figures (before each scrape).
    public func sampleProcess() {
        residentMemory.record(ProcessFigures.residentBytes)
        openDescriptors.record(ProcessFigures.openDescriptors)
    }

    /// Metrics that record nothing.
    public static var disabled: WorkerMetrics { WorkerMetrics(factory: NOOPMetricsHandler.instance) }

    /// Counts the systems that failed in `predictions`, by system and kind.
    public func countFailures(_ predictions: PlayerPredictions) {
        for failure in predictions.failures {
            failures[FailureKey(system: failure.systemID, kind: failure.kind)]?.increment()
        }
    }

    /// Counts one answer sent to a coordinator (a PredictResult or PredictRejected; other
    /// envelopes are ignored).
    public func countAnswer(_ envelope: Envelope) {
        switch envelope.body {
        case .predictResult(let result):
            requests[result.playerSkipReasons.isEmpty ? .result : .skipped]?.increment()
        case .predictRejected(let rejected):
            let outcome: RequestOutcome
            switch rejected.code {
            case .busy: outcome = .rejectedBusy
            case .draining: outcome = .rejectedDraining
            case .invalidRequest: outcome = .rejectedInvalid
            case .internal, .unspecified, .UNRECOGNIZED: outcome = .rejectedInternal
            }
            requests[outcome]?.increment()
        case .predictBatchAnswer(let batch):
            for answer in batch.answers { countAnswer(Envelope(answer)) }
        default:
            return
        }
    }

    /// The latency timer of `system` (nil for a system outside the five).
    public func latency(of system: SystemID) -> Timer? {
        systemLatency[system]
    }
}

/// A failure counter's labels.
private struct FailureKey: Hashable, Sendable {
    var system: SystemID
    var kind: SystemFailure.Kind
}
