import Logging
import NIOCore
import PropcastTLS
import PropcastWire

/// Keeps one worker connected for the length of a batch: connects with mutual TLS,
/// registers the session with the ``BatchActor``, pings it every heartbeat interval,
/// forwards its answers, and on any failure reports the loss and reconnects with backoff.
struct WorkerLink: Sendable {
    let endpoint: Endpoint
    let tls: TLSContext
    let configuration: BatchConfiguration
    let group: any EventLoopGroup
    let batch: BatchActor
    let health: WorkerHealthBoard
    let logger: Logger

    /// Runs until the batch finishes or the task is cancelled.
    func run() async {
        let name = endpoint.description
        var backoff = Duration.milliseconds(200)
        while !Task.isCancelled, await !batch.isFinished {
            do {
                try await WireClient.withSession(host: endpoint.host, port: endpoint.port, tls: tls,
                                                 nodeID: configuration.nodeID, configuration: configuration.wire,
                                                 group: group) { session in
                    try await serve(session, name: name)
                }
                backoff = .milliseconds(200)
            } catch is CancellationError {
                break
            } catch {
                await health.failed(name, reason: "\(error)")
                logger.warning("worker unavailable", metadata: ["worker": "\(name)", "reason": "\(error)"])
            }
            if await health.isRefused(name) { break }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, configuration.maxReconnectBackoff)
        }
    }

    private func serve(_ session: CoordinatorSession, name: String) async throws {
        if let refusal = await batch.workerUp(name, info: session.worker, outbound: session.outbound) {
            await health.refused(name, reason: refusal)
            await session.goodbye(refusal)
            return
        }
        await health.connected(name)
        logger.info("worker connected", metadata: ["worker": "\(name)", "node": "\(session.worker.nodeID)",
                                                   "slots": "\(session.worker.slots)"])
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                let interval = configuration.wire.heartbeatInterval
                let outbound = session.outbound
                tasks.addTask {
                    var nonce: UInt64 = 0
                    while !Task.isCancelled {
                        try await Task.sleep(for: .nanoseconds(interval.nanoseconds))
                        nonce += 1
                        var ping = WirePing()
                        ping.nonce = nonce
                        try await outbound.write(Envelope(.ping(ping)))
                    }
                }
                try await readAnswers(session, name: name)
                tasks.cancelAll()
            }
        } catch {
            await batch.workerDown(name, reason: "\(error)")
            throw error  // `run()` records it on the health board
        }
        await batch.workerDown(name, reason: "batch finished")
    }

    private func readAnswers(_ session: CoordinatorSession, name: String) async throws {
        while await !batch.isFinished {
            switch try await session.next() {
            case .result(let result):
                await batch.resultReceived(result, from: name)
            case .rejected(let rejection):
                await batch.rejected(rejection, from: name)
            case .drained(let reason):
                logger.info("worker draining", metadata: ["worker": "\(name)", "reason": "\(reason)"])
                await batch.workerDraining(name)
            case .pong, .none, .established, .sendAndClose, .closed:
                continue
            }
        }
        await session.goodbye("batch finished")
    }
}
