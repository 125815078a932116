import Logging
import NIOCore
import PropcastTLS
import PropcastWire

/// Keeps one worker connected for the length of a batch: connects with mutual TLS, hands
/// the session to the ``BatchActor``, pings it every heartbeat interval, forwards its frames
/// as events, and on any failure reports it and reconnects with backoff — until the batch
/// says the worker is no longer wanted (over, or refused).
struct WorkerLink: Sendable {
    let endpoint: Endpoint
    let tls: TLSContext
    let configuration: BatchConfiguration
    let group: any EventLoopGroup
    let batch: BatchActor
    let logger: Logger

    /// Runs until the batch no longer wants the worker or the task is cancelled.
    func run() async {
        let worker = WorkerID(endpoint)
        var backoff = Duration.milliseconds(200)
        while !Task.isCancelled, await batch.shouldConnect(worker) {
            do {
                try await WireClient.withSession(host: endpoint.host, port: endpoint.port, tls: tls,
                                                 nodeID: configuration.nodeID, configuration: configuration.wire,
                                                 group: group) { session in
                    try await serve(session, worker: worker)
                }
                backoff = .milliseconds(200)
            } catch is CancellationError {
                break
            } catch {
                await batch.workerUnreachable(worker, reason: "\(error)")
            }
            guard await batch.shouldConnect(worker) else { break }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, configuration.maxReconnectBackoff)
        }
    }

    private func serve(_ session: CoordinatorSession, worker: WorkerID) async throws {
        let outbound = session.outbound
        if let refusal = await batch.workerConnected(worker, info: session.worker, outbound: ChannelOutbound(writer: outbound)) {
            await session.goodbye(refusal)
            return
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                let interval = configuration.wire.heartbeatInterval
                tasks.addTask { try await Self.sendHeartbeats(on: outbound, every: interval) }
                try await forwardFrames(session, worker: worker)
                tasks.cancelAll()
            }
        } catch {
            await batch.workerLost(worker, reason: "\(error)")
            throw error
        }
    }

    /// Forwards the worker's frames until the connection ends (the batch closes it with
    /// Goodbye when it is over, and the worker then closes).
    private func forwardFrames(_ session: CoordinatorSession, worker: WorkerID) async throws {
        while true {
            switch try await session.next() {
            case .result(let result):
                await batch.batchAnswered([WirePredictAnswer(Envelope(.predictResult(result)))], from: worker)
            case .rejected(let rejection):
                await batch.batchAnswered([WirePredictAnswer(Envelope(.predictRejected(rejection)))], from: worker)
            case .batchAnswer(let answer):
                await batch.batchAnswered(answer.answers, from: worker)
            case .drained:
                await batch.workerDraining(worker)
            case .pong, .none, .established, .sendAndClose, .closed:
                continue
            }
        }
    }
}

extension WorkerLink {
    /// Pings the worker every `interval` until cancelled or a write fails (the connection is gone).
    static func sendHeartbeats(on outbound: NIOAsyncChannelOutboundWriter<Envelope>, every interval: Duration) async throws {
        var nonce: UInt64 = 0
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            nonce += 1
            var ping = WirePing()
            ping.nonce = nonce
            try await outbound.write(Envelope(.ping(ping)))
        }
    }
}
