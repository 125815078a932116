import PropcastCoordinator
import PropcastModels

/// A ``BatchStateMachine`` with helpers to read its actions, for tests without I/O.
struct MachineDriver {
    typealias Action = BatchStateMachine.Action
    static let versions = Dictionary(uniqueKeysWithValues: SystemID.all.map { ($0, "\($0.rawValue)-1") })
    var machine: BatchStateMachine
    let start = ContinuousClock.now
    /// Every action so far, in order.
    var log: [Action] = []

    init(players: [PlayerLookup] = ["a", "b", "c", "d", "e"], workers: [WorkerID] = ["w1", "w2"], maxAttempts: Int = 3,
         timeout: Duration = .seconds(10), grace: Duration = .seconds(15), maxAnswersPending: Int = 512,
         roundsPerSlot: Int = 4) {
        machine = BatchStateMachine(players: players, workers: workers, configuration: .init(
            maxAttempts: maxAttempts, requestTimeout: timeout, busyPause: .milliseconds(100), noWorkerGrace: grace,
            maxAnswersPending: maxAnswersPending, roundsPerSlot: roundsPerSlot), now: start)
    }

    func at(_ offset: Duration) -> ContinuousClock.Instant { start + offset }

    @discardableResult
    mutating func record(_ actions: [Action]) -> [Action] {
        log += actions
        return actions
    }

    /// Connects a worker with the default models and starts the batch if it was not started.
    @discardableResult
    mutating func connect(_ worker: WorkerID, slots: Int, perFrame: Int = 1, at offset: Duration = .zero) -> [Action] {
        record(machine.workerConnected(worker, slots: slots, playersPerFrame: perFrame, modelVersions: Self.versions,
                                       now: at(offset)))
    }

    @discardableResult
    mutating func begin(alreadyComplete: Set<PlayerLookup> = []) -> [Action] {
        record(machine.start(alreadyComplete: alreadyComplete, now: start))
    }

    /// Answers `assignment` with a result that is then accepted (journaled).
    @discardableResult
    mutating func answer(_ assignment: BatchStateMachine.Assignment, at offset: Duration = .zero) -> [Action] {
        let arrived = record(machine.resultArrived(requestID: assignment.requestID, now: at(offset)))
        guard arrived.contains(where: { if case .check = $0 { true } else { false } }) else { return arrived }
        return arrived + record(machine.answerAccepted(assignment.player, skipped: false))
    }

    func name(_ index: Int) -> PlayerLookup { machine.player(index) }
}

extension [BatchStateMachine.Action] {
    var sends: [BatchStateMachine.Assignment] { compactMap { if case .send(let a) = $0 { a } else { nil } } }
    /// The sends grouped into their frames, in order.
    var frames: [[BatchStateMachine.Assignment]] {
        var frames: [[BatchStateMachine.Assignment]] = []
        for send in sends {
            if frames.last?.last?.frame == send.frame { frames[frames.count - 1].append(send) } else { frames.append([send]) }
        }
        return frames
    }
    var checks: [BatchStateMachine.Check] { compactMap { if case .check(let c) = $0 { c } else { nil } } }
    var failures: [(player: Int, attempts: Int, reason: String)] {
        compactMap { if case .journalFailure(let p, let n, let r) = $0 { (p, n, r) } else { nil } }
    }
    var closed: [WorkerID] { compactMap { if case .closeWorker(let w, _) = $0 { w } else { nil } } }
    var finished: Bool { contains(.finished) }
}
