import PropcastModels

extension BatchStateMachine {
    // MARK: Workers

    /// A worker connected and announced `slots`, the most requests it takes in one frame
    /// (`playersPerFrame`, already capped by the coordinator) and its models. It is refused (a
    /// ``Action/closeWorker(_:reason:)``) when it was refused earlier in this batch, does not
    /// run all five systems, or runs other models than the first worker (ids include the
    /// model version). The first accepted worker fixes the batch's models
    /// (``Action/workersAgreed(_:)``).
    public mutating func workerConnected(_ worker: WorkerID, slots: Int, playersPerFrame: Int = 1,
                                         modelVersions announced: [SystemID: String],
                                         now: ContinuousClock.Instant) -> [Action] {
        if let refusal = health[worker]?.refusal { return [.closeWorker(worker, reason: refusal)] }
        let missing = SystemID.all.filter { announced[$0] == nil }
        var refusal: String?
        if !missing.isEmpty {
            refusal = "worker \(worker) does not announce \(missing.map(\.rawValue).joined(separator: ", ")); "
                + "every worker must run all five systems"
        } else if let agreed = modelVersions, agreed != announced {
            refusal = "worker \(worker) runs models \(Self.listed(announced)) but this batch uses \(Self.listed(agreed)); "
                + "deploy the same Ops/models to every worker"
        }
        if let refusal {
            health[worker, default: WorkerHealth()].refusal = refusal
            health[worker, default: WorkerHealth()].lastError = refusal
            return [.closeWorker(worker, reason: refusal)]
        }
        var actions: [Action] = []
        if workers[worker] != nil {
            // Connected again before its loss was reported: what the old connection held is lost with it.
            drop(worker, reason: "worker \(worker) reconnected", countsAsAttempt: false, now: now, into: &actions)
        }
        if modelVersions == nil {
            modelVersions = announced
            actions.append(.workersAgreed(announced))
        }
        workers[worker] = ConnectedWorker(slots: max(0, slots), playersPerFrame: max(1, playersPerFrame))
        connectedSlots += max(0, slots)
        sendCapacity += max(0, slots) * max(1, playersPerFrame)
        health[worker, default: WorkerHealth()].everConnected = true
        health[worker, default: WorkerHealth()].lastError = nil
        ready.offer(worker)
        dispatch(now: now, into: &actions)
        return actions
    }

    /// A connection attempt to `worker` failed. Before the first worker, the batch reports
    /// ``Action/noWorkerReachable`` as soon as every configured worker has failed.
    public mutating func workerUnreachable(_ worker: WorkerID, reason: String) -> [Action] {
        guard phase != .stopped, !announcedFinish else { return [] }
        health[worker, default: WorkerHealth()].lastError = reason
        guard phase == .connecting, modelVersions == nil,
              health.values.allSatisfy({ !$0.everConnected && $0.lastError != nil }) else { return [] }
        return [.noWorkerReachable]
    }

    /// The worker sent Drain: no new work for it; what it holds may still finish.
    public mutating func workerDraining(_ worker: WorkerID) {
        workers[worker]?.draining = true
    }

    /// The worker's connection ended (closed, heartbeat missed, I/O error): everything it
    /// held goes back to the queue, or fails when out of attempts.
    public mutating func workerLost(_ worker: WorkerID, reason: String, now: ContinuousClock.Instant) -> [Action] {
        guard phase != .stopped, !announcedFinish, workers[worker] != nil else { return [] }
        health[worker, default: WorkerHealth()].lastError = reason
        var actions: [Action] = []
        drop(worker, reason: "worker \(worker) lost: \(reason)", countsAsAttempt: true, now: now, into: &actions)
        dispatch(now: now, into: &actions)
        finishEvent(into: &actions)
        return actions
    }

    /// The answer from `worker` for `player` was refused (undecodable or invalid): nothing of
    /// it is journaled, the player is requeued at no cost of attempts, the worker is
    /// disconnected (its other requests requeued at no cost too) and, after
    /// `maxInvalidAnswersPerWorker` offences, refused for the rest of the batch (every
    /// invalid answer of a frame is an offence).
    public mutating func answerRefused(_ player: PlayerIndex, from worker: WorkerID, reason: String,
                                       now: ContinuousClock.Instant) -> [Action] {
        guard progress[player].state == .checking else { return [] }
        checking -= 1
        var actions: [Action] = []
        let message = "worker \(worker) sent an invalid answer: \(reason)"
        var record = health[worker, default: WorkerHealth()]
        record.invalidAnswers += 1
        record.lastError = message
        if record.invalidAnswers >= configuration.maxInvalidAnswersPerWorker {
            record.refusal = "\(message) (\(record.invalidAnswers) invalid answers: not used for the rest of this batch)"
        }
        health[worker] = record
        requeueOrFail(player, reason: message, countsAsAttempt: false, into: &actions)
        if workers[worker] != nil {
            drop(worker, reason: "worker \(worker) disconnected after an invalid answer", countsAsAttempt: false,
                 now: now, into: &actions)
            actions.append(.closeWorker(worker, reason: "invalid answer: \(reason)"))
        }
        dispatch(now: now, into: &actions)
        finishEvent(into: &actions)
        return actions
    }

    /// Invalid answers refused from `worker` so far.
    public func invalidAnswers(from worker: WorkerID) -> Int { health[worker]?.invalidAnswers ?? 0 }

    /// Removes a worker and requeues (or fails) what it held.
    mutating func drop(_ worker: WorkerID, reason: String, countsAsAttempt: Bool, now: ContinuousClock.Instant,
                       into actions: inout [Action]) {
        guard let lost = workers.removeValue(forKey: worker) else { return }
        connectedSlots -= lost.slots
        sendCapacity -= lost.slots * lost.playersPerFrame
        counters.workerDisconnects += 1
        if workers.isEmpty { noWorkerSince = now }
        for requestID in lost.inFlight.sorted() {
            guard let request = requests.removeValue(forKey: requestID),
                  progress[request.player].state == .inFlight(requestID: requestID) else { continue }
            requeueOrFail(request.player, reason: reason, countsAsAttempt: countsAsAttempt, into: &actions)
        }
    }

    private static func listed(_ versions: [SystemID: String]) -> String {
        "\(versions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"
    }
}
