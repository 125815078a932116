import NIOCore
import PropcastJournal
import PropcastModels
import PropcastWire

extension BatchActor {
    /// Decodes, checks and journals one answer; a refused answer is not journaled, its
    /// player is requeued and its worker disconnected (refused for the batch after
    /// `maxInvalidAnswersPerWorker` offences).
    func journal(_ result: WirePredictResult, for input: PlayerInput, attempt: Int, from worker: String) async {
        await settle(result, for: input, attempt: attempt, from: worker)
        answerSettled()
        await pump()
    }

    private func settle(_ result: WirePredictResult, for input: PlayerInput, attempt: Int, from worker: String) async {
        guard let expected = expectations[input.player] else { return }
        let accepted: AnswerValidator.Accepted
        do {
            let answer = try result.decoded(player: input.player, gameDate: input.gameDate, gameID: input.gameID)
            accepted = try AnswerValidator(input: input, expected: expected)
                .check(answer, attempt: attempt, worker: worker).get()
        } catch {
            await refuseAnswer(from: worker, player: input.player, reason: "\(error)")
            return
        }
        do {
            let outcomes = try await journal.append(accepted.entries)
            statistics.recordJournaled(accepted.entries, outcomes: outcomes)
        } catch JournalError.invalidEntry(let why) {
            // Nothing of the answer was written: the journal refused it as a whole.
            await refuseAnswer(from: worker, player: input.player, reason: why)
            return
        } catch {
            logger.error("cannot journal result", metadata: ["player": "\(input.player)", "error": "\(error)"])
            machine.journalingFailed(input.player, reason: "\(error)")
            await handle([.failed(input.player, attempts: machine.attempts(of: input.player), reason: "\(error)")])
            return
        }
        if accepted.failures.isEmpty {
            if accepted.playerSkipped { statistics.playersSkipped += 1 } else { statistics.playersPredicted += 1 }
            machine.journaled(input.player, skipped: accepted.playerSkipped)
            await checkFinished()
        } else {
            let reason = accepted.failures.map { "\($0.system) failed on \(worker): \($0.reason)" }.joined(separator: "; ")
            statistics.incompleteAnswers += 1
            logger.warning("a system failed on a worker; the player will be retried",
                           metadata: ["player": "\(input.player)", "reason": "\(reason)"])
            await handle([machine.answerNotAccepted(input.player, reason: reason, countsAsAttempt: true)])
        }
    }

    /// Refuses an answer: requeues the player at no cost of attempts, disconnects the worker
    /// and, after repeated offences, refuses it for the rest of the batch.
    private func refuseAnswer(from worker: String, player: PlayerLookup, reason: String) async {
        let count = (statistics.invalidAnswersByWorker[worker]?.count ?? 0) + 1
        let message = "worker \(worker) sent an invalid answer: \(reason)"
        statistics.invalidAnswersByWorker[worker] = (count, message)
        logger.error("\(message)")
        let limit = configuration.maxInvalidAnswersPerWorker
        if count >= limit {
            await health.refused(worker, reason: "\(message) (\(count) invalid answers: not used for the rest of this batch)")
        } else {
            await health.failed(worker, reason: message)
        }
        await handle([machine.answerNotAccepted(player, reason: message, countsAsAttempt: false)])
        if let handle = handles.removeValue(forKey: worker) {
            statistics.workerLost(worker)
            await self.handle(machine.workerDown(worker, reason: "worker \(worker) disconnected after an invalid answer",
                                                 countsAsAttempt: false))
            // Not awaited here: a worker that stopped reading must not hold the batch.
            let outbound = handle.outbound
            Task {
                try? await outbound.write(.goodbye(.protocolError, "invalid answer: \(reason)"))
                outbound.finish()
            }
        }
    }
}
