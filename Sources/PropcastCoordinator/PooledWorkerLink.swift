import PropcastWire

/// Keeps one worker of a ``WorkerPool`` connected for the pool's life: connects with mutual
/// TLS, hands the session to the pool, pings it every heartbeat interval, routes its answer
/// frames to the batches that asked, and on any failure reports it and reconnects with
/// backoff — until the pool shuts down or refuses the worker.
struct PooledWorkerLink: Sendable {
    let endpoint: Endpoint
    let pool: WorkerPool

    func run() async {
        let worker = WorkerID(endpoint)
        let configuration = pool.configuration
        var backoff = Duration.milliseconds(200)
        while !Task.isCancelled, await pool.shouldConnect(worker) {
            do {
                try await WireClient.withSession(host: endpoint.host, port: endpoint.port, tls: pool.tls,
                                                 nodeID: configuration.nodeID, configuration: configuration.wire,
                                                 group: pool.group) { session in
                    try await serve(session, worker: worker)
                }
                backoff = .milliseconds(200)
            } catch is CancellationError {
                break
            } catch {
                // A connection the pool closed (shut down, or the worker refused) is no news.
                if await pool.shouldConnect(worker) { await pool.unreachable(worker, reason: "\(error)") }
            }
            guard await pool.shouldConnect(worker) else { break }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, configuration.maxReconnectBackoff)
        }
    }

    private func serve(_ session: CoordinatorSession, worker: WorkerID) async throws {
        let outbound = session.outbound
        guard let generation = await pool.connected(worker, info: session.worker, writer: outbound) else {
            await session.goodbye("not wanted")
            return
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                let interval = pool.configuration.wire.heartbeatInterval
                tasks.addTask { try await WorkerLink.sendHeartbeats(on: outbound, every: interval) }
                try await forwardFrames(session, worker: worker)
                tasks.cancelAll()
            }
        } catch {
            await pool.lost(worker, generation: generation, reason: "\(error)")
            throw error
        }
    }

    /// Routes the worker's frames until the connection ends (the pool closes it with Goodbye
    /// when it shuts down, and the worker then closes).
    private func forwardFrames(_ session: CoordinatorSession, worker: WorkerID) async throws {
        while true {
            let answers: [WirePredictAnswer]
            switch try await session.next() {
            case .result(let result):
                answers = [WirePredictAnswer(Envelope(.predictResult(result)))]
            case .rejected(let rejection):
                answers = [WirePredictAnswer(Envelope(.predictRejected(rejection)))]
            case .batchAnswer(let answer):
                answers = answer.answers
            case .drained:
                await pool.draining(worker)
                continue
            case .pong, .none, .established, .sendAndClose, .closed:
                continue
            }
            // One frame answers one batch's frame: its first id names the batch.
            if let batch = await pool.answered(worker, requestID: answers.lazy.compactMap(\.requestID).first) {
                await batch.batchAnswered(answers, from: worker)
            }
        }
    }
}

extension WirePredictAnswer {
    /// The id of the request this answers (nil for an empty answer).
    var requestID: UInt64? {
        switch answer {
        case .result(let result): result.requestID
        case .rejected(let rejection): rejection.requestID
        case nil: nil
        }
    }
}
