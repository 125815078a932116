import Foundation
import Logging
import PropcastTLS
import PropcastWire

/// One worker as the dashboard and `GET /api/v1/workers` show it.
public struct WorkerStatus: Sendable, Codable, Hashable {
    public var address: String
    public var up: Bool
    /// When it was last seen up / since when it is down (ISO 8601).
    public var lastSeenAt: String?
    public var downSince: String?
    public var nodeID: String?
    public var slots: Int?
    public var softwareVersion: String?
    public var modelVersions: [String: String]?
    public var lastRoundTripMS: Double?
    public var certificateName: String?
    public var certificateExpiry: String?
    /// Why the last probe failed.
    public var lastError: String?

    enum CodingKeys: String, CodingKey {
        case address, up, lastSeenAt = "last_seen_at", downSince = "down_since", nodeID = "node_id", slots
        case softwareVersion = "software_version", modelVersions = "model_versions"
        case lastRoundTripMS = "last_round_trip_ms", certificateName = "certificate_name"
        case certificateExpiry = "certificate_expiry", lastError = "last_error"
    }
}

/// Probes every worker of the pool every interval (Hello + one Ping, ``WorkerProbe``) and keeps
/// what it found; a worker down for longer than the alert threshold raises `worker_down`, and
/// its return resolves it.
public actor WorkerWatch {
    private let endpoints: [Endpoint]
    private let tls: TLSContext
    private let nodeID: String
    private let downAlert: Duration
    private var statuses: [String: WorkerStatus]
    private var downSince: [String: ContinuousClock.Instant] = [:]
    private let onAlert: @Sendable (_ raise: Bool, _ worker: String, _ message: String) async -> Void
    private let metrics: ServiceMetrics

    public init(endpoints: [Endpoint], tls: TLSContext, nodeID: String, downAlert: Duration, metrics: ServiceMetrics,
                onAlert: @escaping @Sendable (_ raise: Bool, _ worker: String, _ message: String) async -> Void) {
        self.endpoints = endpoints
        self.tls = tls
        self.nodeID = nodeID
        self.downAlert = downAlert
        self.metrics = metrics
        self.onAlert = onAlert
        self.statuses = Dictionary(uniqueKeysWithValues: endpoints.map {
            ($0.description, WorkerStatus(address: $0.description, up: false))
        })
    }

    /// Every worker, in the configured order.
    public var all: [WorkerStatus] { endpoints.compactMap { statuses[$0.description] } }

    /// Probes until the task is cancelled.
    public func run(every interval: Duration) async {
        while !Task.isCancelled {
            await probeAll()
            try? await Task.sleep(for: interval)
        }
    }

    /// Probes every worker once, side by side.
    public func probeAll() async {
        let tls = self.tls
        let nodeID = self.nodeID
        let results = await withTaskGroup(of: (Endpoint, Result<WorkerSample, any Error>).self) { tasks in
            for endpoint in endpoints {
                tasks.addTask {
                    var probe = WorkerProbe(endpoint: endpoint, nodeID: nodeID)
                    probe.timeout = .seconds(5)
                    do { return (endpoint, .success(try await probe.sample(tls: tls))) } catch { return (endpoint, .failure(error)) }
                }
            }
            var results: [(Endpoint, Result<WorkerSample, any Error>)] = []
            for await result in tasks { results.append(result) }
            return results
        }
        for (endpoint, result) in results { await record(endpoint, result) }
        metrics.workers(up: statuses.values.filter(\.up).count)
    }

    private func record(_ endpoint: Endpoint, _ result: Result<WorkerSample, any Error>) async {
        let address = endpoint.description
        var status = statuses[address] ?? WorkerStatus(address: address, up: false)
        let now = ISO8601DateFormatter().string(from: Date())
        switch result {
        case .success(let sample):
            let wasAlerted = downSince[address].map { ContinuousClock.now - $0 >= downAlert } ?? false
            downSince[address] = nil
            status = WorkerStatus(address: address, up: true, lastSeenAt: now, nodeID: sample.nodeID, slots: sample.slots,
                                  softwareVersion: sample.softwareVersion, modelVersions: sample.modelVersions,
                                  lastRoundTripMS: sample.roundTrip / .microseconds(1) / 1000,
                                  certificateName: sample.certificateName, certificateExpiry: sample.certificateNotAfter)
            statuses[address] = status
            if wasAlerted { await onAlert(false, address, "worker \(address) answers again") }
        case .failure(let error):
            let since = downSince[address] ?? ContinuousClock.now
            downSince[address] = since
            if status.up || status.downSince == nil { status.downSince = now }
            status.up = false
            status.lastError = "\(error)"
            statuses[address] = status
            if ContinuousClock.now - since >= downAlert {
                await onAlert(true, address, "worker \(address) unreachable since \(status.downSince ?? now): \(error)")
            }
        }
    }
}
