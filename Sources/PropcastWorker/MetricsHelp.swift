import PropcastHTTP

/// The `# HELP` text of every worker metric (Prometheus shows it beside the metric), added
/// to the registry's exposition in front of each metric's `# TYPE` line.
enum MetricsHelp {
    static let texts: [String: String] = [
        "propcast_requests_total": "Prediction requests answered, by outcome (result, skipped, rejected_*).",
        "propcast_system_failures_total": "Systems that failed on a request, by system and reason (invalid_output: points or confidence out of range; error: the system threw).",
        "propcast_requests_in_flight": "Requests being predicted now (slots in use).",
        "propcast_slots": "Requests this worker runs at once (--slots).",
        "propcast_connections": "Open coordinator connections.",
        "propcast_model_load_seconds": "Seconds the models took to load at start-up.",
        "propcast_system_latency_seconds": "Time one prediction system took for one request, by system.",
        "propcast_predict_seconds": "Time the engine took for one request (validation, five systems, rows).",
        "propcast_build_info": "Always 1; the labels say which build and protocol this worker runs.",
        "propcast_process_start_time_seconds": "When the worker process started (Unix time).",
        "propcast_process_resident_memory_bytes": "Resident memory of the worker process.",
        "propcast_process_open_fds": "Open file descriptors of the worker process.",
    ]

    /// `exposition` with a `# HELP` line before every `# TYPE` line of a known metric.
    static func annotate(_ exposition: [UInt8]) -> [UInt8] { PrometheusHelp.annotate(exposition, texts: texts) }
}
