import PropcastJournal
import PropcastModels
import PropcastWire

extension BatchActor {
    /// What became of one answer after its check and journal write.
    enum Verdict: Sendable {
        /// Durable; `failures` non-empty means a system failed on the worker (retried).
        case journaled(AnswerValidator.Accepted, [AppendOutcome])
        /// Undecodable or invalid: nothing was journaled.
        case refused(String)
        /// The journal could not take it.
        case journalFailed(String)
    }

    /// One answer to settle off the actor, with what it is checked against.
    struct PendingAnswer: Sendable {
        let result: WirePredictResult
        let input: PlayerInput
        let expected: ExpectedPredictions
        let check: BatchStateMachine.Check
    }

    /// Checks and journals the results of one frame in a task off the actor (decoding,
    /// validation and the group-commit wait do not hold the batch); their appends go to the
    /// journal together, so one sync covers the frame. The verdicts come back as one event.
    func check(_ answers: [(WirePredictResult, BatchStateMachine.Check)], now: ContinuousClock.Instant) {
        var pending: [PendingAnswer] = []
        pending.reserveCapacity(answers.count)
        for (result, check) in answers {
            tallies.recordLatency(now - check.sentAt)
            guard let input = inputs[check.player], let expected = expectations[check.player] else {
                perform(machine.answerRefused(check.player, from: check.worker, reason: "answer for a player not planned",
                                              now: now))
                continue
            }
            pending.append(PendingAnswer(result: result, input: input, expected: expected, check: check))
        }
        guard !pending.isEmpty else { return }
        writesInFlight += 1
        let journal = self.journal
        Task { await Self.settle(pending, journal: journal, batch: self) }
    }

    /// Decodes and validates every answer, then journals the accepted ones in one commit.
    @concurrent
    private nonisolated static func settle(_ answers: [PendingAnswer], journal: any BatchJournal, batch: BatchActor) async {
        var verdicts: [Verdict] = []
        var accepted: [(index: Int, accepted: AnswerValidator.Accepted)] = []
        verdicts.reserveCapacity(answers.count)
        for answer in answers {
            let input = answer.input
            do {
                let decoded = try answer.result.decoded(player: input.player, gameDate: input.gameDate, gameID: input.gameID)
                let checked = try AnswerValidator(input: input, expected: answer.expected)
                    .check(decoded, attempt: answer.check.attempt, worker: answer.check.worker.address).get()
                accepted.append((verdicts.count, checked))
                verdicts.append(.journalFailed("not journaled"))  // replaced below
            } catch {
                verdicts.append(.refused("\(error)"))
            }
        }
        if !accepted.isEmpty {
            let results = await journal.append(groups: accepted.map(\.accepted.entries))
            for (item, result) in zip(accepted, results) {
                switch result {
                case .success(let outcomes): verdicts[item.index] = .journaled(item.accepted, outcomes)
                case .failure(JournalError.invalidEntry(let why)): verdicts[item.index] = .refused(why)
                case .failure(let error): verdicts[item.index] = .journalFailed("\(error)")
                }
            }
        }
        await batch.settled(zip(answers, verdicts).map { ($0.check, $1) })
    }

    private func settled(_ verdicts: [(BatchStateMachine.Check, Verdict)]) {
        for (check, verdict) in verdicts { settled(check, verdict) }
        writeSettled()
    }

    private func settled(_ check: BatchStateMachine.Check, _ verdict: Verdict) {
        let player = check.player
        let now = ContinuousClock.now
        switch verdict {
        case .journaled(let accepted, let outcomes):
            tallies.recordJournaled(accepted.entries, outcomes: outcomes)
            if accepted.failures.isEmpty {
                if accepted.playerSkipped { tallies.playersSkipped += 1 } else { tallies.playersPredicted += 1 }
                coverage.add(machine.player(player), Self.verdict(of: accepted))
                release(player)
                perform(machine.answerAccepted(player, skipped: accepted.playerSkipped, now: now))
            } else {
                let reason = accepted.failures.map { "\($0.system) failed on \(check.worker): \($0.reason)" }
                    .joined(separator: "; ")
                logger.warning("a system failed on a worker; the player will be retried",
                               metadata: ["player": "\(machine.player(player))", "reason": "\(reason)"])
                perform(machine.answerIncomplete(player, reason: reason, now: now))
            }
        case .refused(let reason):
            let message = "worker \(check.worker) sent an invalid answer: \(reason)"
            let count = (tallies.invalidAnswersByWorker[check.worker.address]?.count ?? 0) + 1
            tallies.invalidAnswersByWorker[check.worker.address] = (count, message)
            logger.error("\(message)")
            perform(machine.answerRefused(player, from: check.worker, reason: reason, now: now))
        case .journalFailed(let reason):
            logger.error("cannot journal result", metadata: ["player": "\(machine.player(player))", "error": "\(reason)"])
            perform(machine.journalFailed(player, reason: reason, now: now))
        }
    }

    /// Journals `player_failed` (the machine already counts the player as failed).
    func journalFailure(_ player: BatchStateMachine.PlayerIndex, attempts: Int, reason: String) {
        let lookup = machine.player(player)
        tallies.playersFailed += 1
        logger.warning("player failed", metadata: ["player": "\(lookup)", "attempts": "\(attempts)", "reason": "\(reason)"])
        let entry = JournalEntry.playerFailed(JournalEntry.PlayerFailed(
            player: lookup, gameID: inputs[player]?.gameID, attempts: attempts, lastReason: reason))
        writesInFlight += 1
        let journal = self.journal
        let logger = self.logger
        Task {
            do {
                _ = try await journal.append([entry])
                self.settledFailure(player, verdict: .failed(CoverageVerdict.failedReason(attempts: attempts,
                                                                                                lastReason: reason)))
            } catch {
                // Without its record the journal says the player is missing; coverage judges it so at the end.
                logger.error("cannot journal failure", metadata: ["player": "\(lookup)", "error": "\(error)"])
            }
            self.writeSettled()
        }
    }

    private func settledFailure(_ player: BatchStateMachine.PlayerIndex, verdict: CoverageVerdict) {
        guard expectations[player] != nil else { return }
        coverage.add(machine.player(player), verdict)
        release(player)
    }

    /// The player has its verdict: its inputs and expected rows are no longer needed.
    private func release(_ player: BatchStateMachine.PlayerIndex) {
        if inputs[player] != nil { tallies.inputReleased() }
        inputs[player] = nil
        expectations[player] = nil
    }

    /// The coverage verdict of an accepted, complete answer (what the journal now says).
    static func verdict(of accepted: AnswerValidator.Accepted) -> CoverageVerdict {
        for entry in accepted.entries {
            switch entry {
            case .prediction: return .covered
            case .playerSkipped(let skip) where skip.system == nil: return .skipped(skip.reasons.joined(separator: "; "))
            default: continue
            }
        }
        return .missing("not answered")
    }
}
