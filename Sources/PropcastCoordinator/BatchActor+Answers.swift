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

    /// Checks and journals `result` in a task off the actor (decoding, validation and the
    /// group-commit wait do not hold the batch); the verdict comes back as an event.
    func check(_ result: WirePredictResult, _ check: BatchStateMachine.Check, now: ContinuousClock.Instant) {
        tallies.recordLatency(now - check.sentAt)
        guard let input = inputs[check.player], let expected = expectations[check.player] else {
            perform(machine.answerRefused(check.player, from: check.worker, reason: "answer for a player not planned",
                                          now: now))
            return
        }
        writesInFlight += 1
        let journal = self.journal
        Task { await Self.settle(result, input: input, expected: expected, check: check, journal: journal, batch: self) }
    }

    @concurrent
    private nonisolated static func settle(_ result: WirePredictResult, input: PlayerInput, expected: ExpectedPredictions,
                                           check: BatchStateMachine.Check, journal: any BatchJournal,
                                           batch: BatchActor) async {
        let verdict: Verdict
        do {
            let answer = try result.decoded(player: input.player, gameDate: input.gameDate, gameID: input.gameID)
            let accepted = try AnswerValidator(input: input, expected: expected)
                .check(answer, attempt: check.attempt, worker: check.worker.address).get()
            do {
                verdict = .journaled(accepted, try await journal.append(accepted.entries))
            } catch JournalError.invalidEntry(let why) {
                verdict = .refused(why)  // the journal refused the answer as a whole: nothing was written
            } catch {
                verdict = .journalFailed("\(error)")
            }
        } catch {
            verdict = .refused("\(error)")
        }
        await batch.settled(check, verdict)
    }

    private func settled(_ check: BatchStateMachine.Check, _ verdict: Verdict) {
        let player = check.player
        let now = ContinuousClock.now
        switch verdict {
        case .journaled(let accepted, let outcomes):
            tallies.recordJournaled(accepted.entries, outcomes: outcomes)
            if accepted.failures.isEmpty {
                if accepted.playerSkipped { tallies.playersSkipped += 1 } else { tallies.playersPredicted += 1 }
                inputs[player] = nil
                expectations[player] = nil
                perform(machine.answerAccepted(player, skipped: accepted.playerSkipped))
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
            perform(machine.journalFailed(player, reason: reason))
        }
        writeSettled()
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
            do { _ = try await journal.append([entry]) } catch {
                logger.error("cannot journal failure", metadata: ["player": "\(lookup)", "error": "\(error)"])
            }
            self.writeSettled()
        }
    }
}
