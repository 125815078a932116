import PropcastModels

extension BatchStateMachine {
    // MARK: Dispatch

    /// The plan is journaled: players the journal already holds are done and never sent;
    /// the rest go out within the workers' credits.
    public mutating func start(alreadyComplete: Set<PlayerLookup>, now: ContinuousClock.Instant) -> [Action] {
        guard phase == .connecting else { return [] }
        phase = .dispatching
        for player in alreadyComplete {
            guard let index = indexOf[player], progress[index].state == .pending else { continue }
            progress[index].state = .done
            terminal += 1
        }
        var actions: [Action] = []
        dispatch(now: now, into: &actions)
        finishEvent(into: &actions)
        return actions
    }

    /// Stops the batch: nothing more is sent, and later answers, losses and timeouts are ignored.
    public mutating func stop() {
        phase = .stopped
    }

    /// Sending failed before the worker saw the request: the player goes back untouched.
    public mutating func sendFailed(_ assignment: Assignment) {
        guard let request = requests.removeValue(forKey: assignment.requestID) else { return }
        settle(assignment.requestID, of: request)
        if workers[request.worker] != nil { ready.offer(request.worker) }
        guard progress[request.player].state == .inFlight(requestID: assignment.requestID) else { return }
        progress[request.player].attempts -= 1
        progress[request.player].state = .pending
        queue.push(request.player)
    }

    /// Hands pending players to workers with free credit, round robin, one frame per credit —
    /// while fewer than `maxAnswersPending` answers wait for the journal. A frame holds the
    /// batch's players spread over `roundsPerSlot` rounds of every connected slot (rounded
    /// up), at least 1 and at most the worker's `playersPerFrame`: big enough to spread the
    /// cost of a frame, small enough that answers arrive as a stream rather than all at once.
    mutating func dispatch(now: ContinuousClock.Instant, into actions: inout [Action]) {
        guard phase == .dispatching else { return }
        while checking < configuration.maxAnswersPending, let player = queue.first {
            guard progress[player].state == .pending else { _ = queue.pop(); continue }
            guard let worker = ready.next(where: { workers[$0].map { $0.freeCredits > 0 } ?? false }),
                  let limit = workers[worker]?.playersPerFrame else { return }
            let rounds = max(1, connectedSlots * configuration.roundsPerSlot)
            let players = max(names.count, plannedPlayers)
            let share = max(1, min(limit, (players + rounds - 1) / rounds))
            let frame = nextFrameID
            nextFrameID += 1
            var size = 0
            while size < share, let next = queue.first {
                _ = queue.pop()
                guard progress[next].state == .pending else { continue }
                send(next, to: worker, frame: frame, now: now, into: &actions)
                size += 1
            }
            if size > 0 {
                workers[worker]?.frames[frame] = size
                counters.framesSent += 1
            }
            if (workers[worker]?.freeCredits ?? 0) > 0 { ready.offer(worker) }
        }
    }

    private mutating func send(_ player: PlayerIndex, to worker: WorkerID, frame: UInt64, now: ContinuousClock.Instant,
                               into actions: inout [Action]) {
        let requestID = nextRequestID
        nextRequestID += 1
        progress[player].attempts += 1
        progress[player].state = .inFlight(requestID: requestID)
        requests[requestID] = Request(player: player, worker: worker, frame: frame, sentAt: now)
        timeline.push(requestID)
        workers[worker]?.inFlight.insert(requestID)
        if progress[player].attempts > 1 { counters.retries += 1 }
        actions.append(.send(Assignment(requestID: requestID, frame: frame, player: player, worker: worker,
                                        attempt: progress[player].attempts)))
    }

    // MARK: Answers

    /// A result arrived: the answer is to be checked (``Action/check(_:)``) unless it is stale
    /// (the player was answered elsewhere), and once every request of its frame is answered
    /// the frame's credit is reused at once.
    /// A late answer from a timed-out request still counts if nobody answered yet.
    public mutating func resultArrived(requestID: UInt64, now: ContinuousClock.Instant) -> [Action] {
        guard phase != .stopped, let request = requests.removeValue(forKey: requestID) else {
            counters.staleAnswers += 1
            return []
        }
        var actions: [Action] = []
        release(requestID, frame: request.frame, of: request.worker)
        switch progress[request.player].state {
        case .inFlight, .pending:
            progress[request.player].state = .checking
            checking += 1
            actions.append(.check(Check(player: request.player, attempt: progress[request.player].attempts,
                                        worker: request.worker, sentAt: request.sentAt)))
        default:
            counters.staleAnswers += 1
        }
        dispatch(now: now, into: &actions)
        return actions
    }

    /// The player's answer is durable in the journal.
    public mutating func answerAccepted(_ player: PlayerIndex, skipped: Bool, now: ContinuousClock.Instant = .now) -> [Action] {
        guard progress[player].state == .checking else { return [] }
        checking -= 1
        progress[player].state = skipped ? .skipped : .done
        terminal += 1
        var actions: [Action] = []
        dispatch(now: now, into: &actions)
        finishEvent(into: &actions)
        return actions
    }

    /// A system failed on the worker: nothing was journaled and the attempt counts.
    public mutating func answerIncomplete(_ player: PlayerIndex, reason: String, now: ContinuousClock.Instant) -> [Action] {
        guard progress[player].state == .checking else { return [] }
        checking -= 1
        counters.incompleteAnswers += 1
        var actions: [Action] = []
        requeueOrFail(player, reason: reason, countsAsAttempt: true, into: &actions)
        dispatch(now: now, into: &actions)
        finishEvent(into: &actions)
        return actions
    }

    /// The player's records could not be journaled (the journal is broken): it is failed.
    public mutating func journalFailed(_ player: PlayerIndex, reason: String, now: ContinuousClock.Instant = .now) -> [Action] {
        guard progress[player].state == .checking else { return [] }
        checking -= 1
        progress[player].state = .failed
        terminal += 1
        var actions: [Action] = [.journalFailure(player: player, attempts: progress[player].attempts, reason: reason)]
        dispatch(now: now, into: &actions)
        finishEvent(into: &actions)
        return actions
    }

    /// The worker rejected a request.
    public mutating func rejected(requestID: UInt64, _ rejection: Rejection, reason: String,
                                  now: ContinuousClock.Instant) -> [Action] {
        guard phase != .stopped, let request = requests.removeValue(forKey: requestID) else { return [] }
        var actions: [Action] = []
        release(requestID, frame: request.frame, of: request.worker)
        switch rejection {
        case .busy:
            counters.busyRejections += 1
            if workers[request.worker] != nil, workers[request.worker]?.paused == false {
                workers[request.worker]?.paused = true
                pauses.push((request.worker, now + configuration.busyPause))
            }
        case .draining:
            workers[request.worker]?.draining = true
        case .retryable, .permanent:
            break
        }
        if progress[request.player].state == .inFlight(requestID: requestID) {
            if rejection == .permanent {
                fail(request.player, reason: reason, into: &actions)
            } else {
                requeueOrFail(request.player, reason: reason, countsAsAttempt: rejection == .retryable, into: &actions)
            }
        }
        dispatch(now: now, into: &actions)
        finishEvent(into: &actions)
        return actions
    }

    // MARK: Timers

    /// Time passed: requests past their deadline are requeued (the worker keeps the credit
    /// until it answers); a worker still sitting on a request twice past its send is dropped
    /// as hung; BUSY pauses that ran out end; without any worker for the grace period the
    /// batch gives up (or, before the first worker, reports none reachable).
    public mutating func tick(now: ContinuousClock.Instant) -> [Action] {
        guard phase != .stopped, !announcedFinish else { return [] }
        var actions: [Action] = []
        let timeout = configuration.requestTimeout
        while let requestID = timeline.first {
            guard let request = requests[requestID] else { _ = timeline.pop(); continue }
            guard request.sentAt + timeout <= now else { break }
            _ = timeline.pop()
            overdue.push(requestID)
            guard progress[request.player].state == .inFlight(requestID: requestID) else { continue }
            counters.timeouts += 1
            requeueOrFail(request.player, reason: "no answer within \(timeout) from \(request.worker)", countsAsAttempt: true,
                          into: &actions)
        }
        while let requestID = overdue.first {
            guard let request = requests[requestID] else { _ = overdue.pop(); continue }
            guard request.sentAt + timeout * 2 <= now else { break }
            _ = overdue.pop()
            let reason = "worker \(request.worker) hung: no answer within \(timeout * 2)"
            health[request.worker, default: WorkerHealth()].lastError = reason
            drop(request.worker, reason: reason, countsAsAttempt: true, now: now, into: &actions)
            requests.removeValue(forKey: requestID)
            actions.append(.closeWorker(request.worker, reason: reason))
        }
        while let pause = pauses.first, pause.until <= now {
            _ = pauses.pop()
            workers[pause.worker]?.paused = false
            if workers[pause.worker] != nil { ready.offer(pause.worker) }
        }
        if workers.isEmpty, now >= noWorkerSince + configuration.noWorkerGrace {
            if phase == .connecting, modelVersions == nil {
                actions.append(.noWorkerReachable)
            } else if phase == .dispatching {
                phase = .stopped
                actions.append(.giveUp(reason: "no worker available for \(configuration.noWorkerGrace)"))
                return actions
            }
        }
        dispatch(now: now, into: &actions)
        finishEvent(into: &actions)
        return actions
    }

    // MARK: Internals

    /// Marks the request answered (its frame's credit is free once the whole frame is); the
    /// worker's next answer also ends a BUSY pause.
    mutating func release(_ requestID: UInt64, frame: UInt64, of worker: WorkerID) {
        guard workers[worker] != nil else { return }
        _ = workers[worker]?.settle(requestID, frame: frame)
        workers[worker]?.paused = false
        ready.offer(worker)
    }

    private mutating func settle(_ requestID: UInt64, of request: Request) {
        _ = workers[request.worker]?.settle(requestID, frame: request.frame)
    }

    mutating func requeueOrFail(_ player: PlayerIndex, reason: String, countsAsAttempt: Bool, into actions: inout [Action]) {
        if !countsAsAttempt { progress[player].attempts -= 1 }
        if progress[player].attempts >= configuration.maxAttempts {
            fail(player, reason: reason, into: &actions)
            return
        }
        progress[player].state = .pending
        queue.push(player)
    }

    mutating func fail(_ player: PlayerIndex, reason: String, into actions: inout [Action]) {
        progress[player].state = .failed
        terminal += 1
        actions.append(.journalFailure(player: player, attempts: progress[player].attempts, reason: reason))
    }

    /// Announces ``Action/finished`` once, when the last player became terminal.
    mutating func finishEvent(into actions: inout [Action]) {
        guard phase == .dispatching, !announcedFinish, isFinished else { return }
        announcedFinish = true
        actions.append(.finished)
    }
}
