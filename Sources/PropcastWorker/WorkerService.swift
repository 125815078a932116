import Logging
import ServiceLifecycle

/// The worker server as a swift-service-lifecycle `Service`: serves until a graceful
/// shutdown (SIGTERM/SIGINT through the `ServiceGroup`), then drains — every connection
/// sends Drain, rejects new work with CODE_DRAINING, finishes and answers what is in
/// flight, says Goodbye(DRAINED) — and returns once all connections are done. Work still
/// running when the drain deadline passes is abandoned and the connections are closed.
public struct WorkerService: Service {
    private let server: WorkerServer
    private let drainTimeout: Duration
    private let logger: Logger
    private let onRunning: @Sendable () -> Void
    private let onDraining: @Sendable () -> Void

    /// Wraps a bound server.
    /// - Parameters:
    ///   - drainTimeout: how long a drain may take (``WorkerConfiguration/drainTimeout``).
    ///   - onRunning: called once when the service starts, i.e. after the `ServiceGroup` has
    ///     installed its signal handlers — the moment to announce readiness.
    ///   - onDraining: called when a graceful shutdown starts the drain.
    public init(server: WorkerServer, drainTimeout: Duration, logger: Logger,
                onRunning: @escaping @Sendable () -> Void = {}, onDraining: @escaping @Sendable () -> Void = {}) {
        self.server = server
        self.drainTimeout = drainTimeout
        self.logger = logger
        self.onRunning = onRunning
        self.onDraining = onDraining
    }

    /// Serves, drains on graceful shutdown, returns when every connection has ended.
    public func run() async throws {
        let server = self.server
        let timeout = drainTimeout
        let logger = self.logger
        let onDraining = self.onDraining
        onRunning()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await server.run()
                return true
            }
            group.addTask {
                do { try await gracefulShutdown() } catch { return false }  // cancelled: the server ended first
                onDraining()
                let (connections, inFlight) = await server.drain(reason: "worker shutting down")
                logger.notice("draining", metadata: ["connections": "\(connections)", "in_flight": "\(inFlight)",
                                                     "deadline": "\(timeout)"])
                do { try await Task.sleep(for: timeout) } catch { return false }  // drained in time
                let abandoned = await server.abandonConnections(reason: "drain deadline of \(timeout) passed")
                logger.error("drain deadline passed; closed connections with work still in flight",
                             metadata: ["connections": "\(abandoned)", "deadline": "\(timeout)"])
                return false
            }
            for try await serverEnded in group where serverEnded {
                group.cancelAll()
            }
        }
        logger.notice("drained: all connections closed")
    }
}
