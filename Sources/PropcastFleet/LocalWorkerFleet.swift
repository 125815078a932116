import Foundation
import PropcastWire
import Synchronization

/// A set of local `propcast worker` processes — the demo's, the benchmarks', the integration
/// tests' — started one after the other (each waits for its ready line) and stopped together.
public final class LocalWorkerFleet: Sendable {
    private let running = Mutex<[LocalWorker]>([])

    /// An empty fleet; add workers with ``start(_:)``.
    public init() {}

    /// Starts `count` workers described by `launch(index)` (index from 0). If one fails, the
    /// ones already started are stopped and the error is rethrown.
    public static func start(count: Int, _ launch: (Int) -> LocalWorkerLaunch) async throws -> LocalWorkerFleet {
        let fleet = LocalWorkerFleet()
        do {
            for index in 0..<count { try await fleet.start(launch(index)) }
        } catch {
            await fleet.stop()
            throw error
        }
        return fleet
    }

    /// Starts one more worker and returns it once it is ready.
    @discardableResult
    public func start(_ launch: LocalWorkerLaunch) async throws -> LocalWorker {
        let worker = try await LocalWorker.start(launch)
        running.withLock { $0.append(worker) }
        return worker
    }

    /// The workers, in the order they were started.
    public var workers: [LocalWorker] { running.withLock { $0 } }

    /// Their addresses, in the same order.
    public var endpoints: [Endpoint] { workers.map(\.endpoint) }

    /// Stops every worker (SIGTERM, SIGKILL after `grace`) and waits for them all.
    public func stop(grace: Duration = .seconds(10)) async {
        let workers = running.withLock { workers in
            defer { workers = [] }
            return workers
        }
        await withTaskGroup(of: Void.self) { group in
            for worker in workers { group.addTask { await worker.stop(grace: grace) } }
        }
    }

    /// Sends `signal` (SIGTERM: drain; SIGKILL: now) to every worker without waiting, for
    /// `deinit` and other synchronous exits.
    public func terminate(signal: Int32 = SIGTERM) {
        for worker in workers { worker.signal(signal) }
    }

    deinit { terminate() }
}
