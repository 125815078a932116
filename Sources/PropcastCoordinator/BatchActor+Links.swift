import Logging
import PropcastModels
import PropcastWire

/// Link events: what each ``WorkerLink`` reports about its worker and its frames.
extension BatchActor {
    /// Whether the link to `worker` should (re)connect.
    public func shouldConnect(_ worker: WorkerID) -> Bool { outcome == nil && machine.shouldConnect(worker) }

    /// A worker connected. Returns the reason when it is refused (the link says Goodbye).
    public func workerConnected(_ worker: WorkerID, info: WorkerInfo, outbound: any WorkerOutbound) -> String? {
        guard outcome == nil else { return "batch over" }
        let versions = Dictionary(info.modelVersions.map { (SystemID(rawValue: $0.systemID), $0.version) }) { $1 }
        let perFrame = min(Int(info.maxBatchRequests), machine.configuration.maxPlayersPerFrame)
        let actions = machine.workerConnected(worker, slots: Int(info.slots), playersPerFrame: perFrame,
                                              modelVersions: versions, now: .now)
        if case .closeWorker(_, let reason)? = actions.first { return reason }
        outbounds[worker] = outbound
        unreachableWarnings.reset(worker)
        tallies.workerConnected(worker.address)
        logger.info("worker connected", metadata: ["worker": "\(worker)", "node": "\(info.nodeID)", "slots": "\(info.slots)"])
        perform(actions)
        return nil
    }

    /// A connection attempt failed.
    public func workerUnreachable(_ worker: WorkerID, reason: String) {
        guard outcome == nil else { return }
        let (say, heldBack) = unreachableWarnings.shouldSay(reason, for: worker, now: .now)
        if say {
            var metadata: Logger.Metadata = ["worker": "\(worker)", "reason": "\(reason)"]
            if heldBack > 0 { metadata["repeated"] = "\(heldBack) more attempts since the last warning" }
            logger.warning("worker unavailable", metadata: metadata)
        }
        perform(machine.workerUnreachable(worker, reason: reason))
    }

    /// The worker sent Drain.
    public func workerDraining(_ worker: WorkerID) {
        logger.info("worker draining", metadata: ["worker": "\(worker)"])
        machine.workerDraining(worker)
    }

    /// The worker's connection ended.
    public func workerLost(_ worker: WorkerID, reason: String) {
        guard outbounds.removeValue(forKey: worker) != nil, outcome == nil else { return }
        let actions = machine.workerLost(worker, reason: reason, now: .now)
        logger.warning("worker lost; its work is requeued", metadata: ["worker": "\(worker)", "reason": "\(reason)"])
        perform(actions)
    }

    /// A worker answered a batch (or a single request, as a batch of one): each answer is an
    /// event for the machine, and the results to check go off the actor together (one journal
    /// group commit for the frame).
    public func batchAnswered(_ answers: [WirePredictAnswer], from worker: WorkerID) {
        guard outcome == nil else { return }
        let now = ContinuousClock.now
        var actions: [BatchStateMachine.Action] = []
        var checks: [(WirePredictResult, BatchStateMachine.Check)] = []
        for answer in answers {
            switch answer.answer {
            case .result(let result):
                for action in machine.resultArrived(requestID: result.requestID, now: now) {
                    if case .check(let pending) = action { checks.append((result, pending)) } else { actions.append(action) }
                }
            case .rejected(let rejection):
                actions += machine.rejected(requestID: rejection.requestID, Self.kind(of: rejection),
                                            reason: "\(worker) rejected: \(rejection.code) \(rejection.message)", now: now)
            case nil:
                continue  // an empty answer: its request times out and is retried
            }
        }
        if !checks.isEmpty { check(checks, now: now) }
        perform(actions)
    }

    private static func kind(of rejection: WirePredictRejected) -> BatchStateMachine.Rejection {
        switch rejection.code {
        case .busy: .busy
        case .draining: .draining
        default: rejection.retryable ? .retryable : .permanent
        }
    }
}
