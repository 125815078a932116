import PropcastJournal
import PropcastModels
import PropcastWire

/// Checks a worker's decoded answer against what was asked before anything is journaled,
/// and turns an acceptable answer into its journal records. No I/O.
///
/// An answer is acceptable when every row is an expected row of the request (the requested
/// player, game and lines, the input fingerprint of the inputs sent, a system and model
/// version the worker announced, the id derived from those), its numbers are finite with
/// points in 0–60 and confidence in 0–100, its recommendation is PASS where there is no line,
/// no row comes twice, and every expected row is present or its system is reported as
/// skipped or failed. Only similarity and XGBoost can skip on valid inputs (too few similar
/// games, an invalid vector); the ensemble only when base systems failed.
public struct AnswerValidator: Sendable {
    /// What to journal for an acceptable answer.
    public struct Accepted: Sendable {
        /// The records, in order: rows, then system skips, then attempt failures.
        public var entries: [JournalEntry]
        /// True when validation skipped the whole player.
        public var playerSkipped: Bool
        /// Systems that failed on the worker (the player's rows stay incomplete), with reasons.
        public var failures: [(system: SystemID, reason: String)]
    }

    /// Systems that may report "no prediction" for valid inputs.
    static let systemsThatMaySkip: Set<SystemID> = [.similarity, .xgboost]

    /// The inputs that were sent.
    public let input: PlayerInput
    /// The rows those inputs call for under the batch's model versions.
    public let expected: ExpectedPredictions

    /// A validator for the answer to `input`.
    public init(input: PlayerInput, expected: ExpectedPredictions) {
        self.input = input
        self.expected = expected
    }

    /// The records to journal, or the reason the answer is refused (naming the row at fault).
    /// - Parameters:
    ///   - attempt: the attempt the answer belongs to (for `attempt_failed`).
    ///   - worker: the answering worker's address (for `attempt_failed`).
    public func check(_ answer: RemotePlayerPredictions, attempt: Int, worker: String) -> Result<Accepted, AnswerRefusal> {
        let fingerprint = expected.inputFingerprint
        if answer.isPlayerSkipped {
            guard answer.rows.isEmpty, answer.systemSkips.isEmpty else {
                return .failure(refuse("skipped the player but also sent \(answer.rows.count) rows"))
            }
            // Validation is deterministic: the coordinator checks the claim on the inputs it sent.
            guard !InputValidator().problems(in: input).isEmpty else {
                return .failure(refuse("skipped the player (\(answer.playerSkipReasons.joined(separator: "; "))) "
                                       + "although its inputs are valid"))
            }
            let skip = JournalEntry.PlayerSkipped(player: input.player, gameID: input.gameID,
                                                  reasons: answer.playerSkipReasons, inputFingerprint: fingerprint)
            return .success(Accepted(entries: [.playerSkipped(skip)], playerSkipped: true, failures: []))
        }
        var expectedByID = [PredictionID: ExpectedPredictions.Row](minimumCapacity: expected.rows.count)
        for row in expected.rows { expectedByID[row.id] = row }
        var seen = Set<PredictionID>(minimumCapacity: answer.rows.count)
        for row in answer.rows {
            if let problem = problem(with: row, expected: expectedByID[row.predictionID]) { return .failure(refuse(problem)) }
            guard seen.insert(row.predictionID).inserted else {
                return .failure(refuse("sent \(row.systemID) at \(Self.lineText(row.line)) twice"))
            }
        }
        var skipped: [SystemID: String] = [:]
        var failed: [SystemID: String] = [:]
        let predicting = Set(answer.rows.map(\.systemID))
        for skip in answer.systemSkips {
            if let line = skip.line {
                return .failure(refuse("reported \(skip.systemID) as skipped at line \(line) only; "
                                       + "a system's ability to predict never depends on the line"))
            }
            guard !predicting.contains(skip.systemID) else {
                return .failure(refuse("sent rows of \(skip.systemID) and also reported it as "
                                       + (skip.failed ? "failed" : "skipped")))
            }
            // A failure of a system the inputs do not call for costs nothing.
            if expected.deterministicSkips.contains(skip.systemID) { continue }
            if skip.failed { failed[skip.systemID] = skip.reason } else { skipped[skip.systemID] = skip.reason }
        }
        for (system, _) in skipped where !Self.systemsThatMaySkip.contains(system) && !expected.deterministicSkips.contains(system) {
            guard system == .ensemble, !failed.isEmpty else {
                return .failure(refuse("reported \(system) as skipped, which it never is for valid inputs"))
            }
        }
        let answered = Set(answer.rows.map(\.systemID)).union(skipped.keys).union(failed.keys)
        if let missing = expected.rows.first(where: { !seen.contains($0.id) && !skipped.keys.contains($0.system)
                                                       && !failed.keys.contains($0.system) }) {
            let detail = answered.contains(missing.system) ? "at \(Self.lineText(missing.line))" : "at all"
            return .failure(refuse("did not answer \(missing.system) \(detail)"))
        }
        // The rows' model versions and fingerprints equal the expected ones (checked above);
        // taking the expected values shares their storage, so the journal index holds one
        // copy per player and line rather than one per row.
        var entries = answer.rows.map { row -> JournalEntry in
            var shared = row
            if let version = expected.modelVersions[row.systemID] { shared.modelVersion = version }
            if let wanted = expected.row(system: row.systemID, line: row.line) { shared.inputFingerprint = wanted.fingerprint }
            return .prediction(shared)
        }
        if failed.isEmpty {
            // Skips are journaled only from complete answers: with a failure, an ensemble skip
            // may only reflect the failed base systems and must not excuse its rows later.
            for (system, reason) in skipped.sorted(by: { $0.key < $1.key }) where !expected.deterministicSkips.contains(system) {
                entries.append(.playerSkipped(JournalEntry.PlayerSkipped(player: input.player, gameID: input.gameID,
                                                                         system: system, reasons: [reason],
                                                                         inputFingerprint: fingerprint,
                                                                         modelVersion: expected.modelVersions[system])))
            }
        }
        let failures = failed.sorted { $0.key < $1.key }.map { (system: $0.key, reason: $0.value) }
        for failure in failures {
            entries.append(.attemptFailed(JournalEntry.AttemptFailed(player: input.player, gameID: input.gameID,
                                                                     system: failure.system, attempt: attempt,
                                                                     reason: failure.reason, worker: worker)))
        }
        return .success(Accepted(entries: entries, playerSkipped: false, failures: failures))
    }

    private func problem(with row: PredictionRow, expected: ExpectedPredictions.Row?) -> String? {
        let what = "\(row.systemID) at \(Self.lineText(row.line))"
        guard let expected else {
            if !input.lineValues.isEmpty, let line = row.line, !input.lineValues.contains(line) {
                return "sent \(what), a line nobody asked for (asked \(input.lineValues.map(\.description)))"
            }
            if let wanted = self.expected.row(system: row.systemID, line: row.line) {
                if row.modelVersion != self.expected.modelVersions[row.systemID] {
                    return "sent \(what) with model version '\(row.modelVersion)', which it did not announce"
                }
                if row.inputFingerprint != wanted.fingerprint {
                    return "sent \(what) predicted from other inputs (fingerprint \(row.inputFingerprint?.hex.prefix(12) ?? "none")…, "
                        + "expected \(wanted.fingerprint.hex.prefix(12))…)"
                }
                return "sent \(what) with model version '\(row.modelVersion)' or an id that is not derived from its fields"
            }
            return "sent \(what), which these inputs do not call for"
        }
        // The expected id is derived from these fields: when they all agree, so does the id.
        guard row.inputFingerprint == expected.fingerprint, row.line == expected.line, row.systemID == expected.system,
              row.modelVersion == self.expected.modelVersions[row.systemID] else {
            return "sent \(what) whose fields (model version '\(row.modelVersion)') do not derive its id"
        }
        for (name, value) in row.extras {
            if case .number(let number) = value, !number.isFinite {
                return "extra '\(name)' = \(number) for \(what) (must be a finite number)"
            }
        }
        switch row.valueProblem {
        case nil: return nil
        case .points(let value): return "predicted points \(value) for \(what) (must be 0–60)"
        case .confidence(let value): return "confidence \(value) for \(what) (must be 0–100)"
        case .line(let value): return "line \(value) for \(what) (must be 0–100)"
        case .margin(let value): return "line margin \(value) for \(what) (must be a finite number)"
        case .callWithoutLine(let call): return "recommendation \(call.rawValue) for \(what) (must be PASS without a line)"
        }
    }

    private func refuse(_ detail: String) -> AnswerRefusal {
        AnswerRefusal(player: input.player, detail: detail)
    }

    static func lineText(_ line: LineValue?) -> String { line.map { "line \($0)" } ?? "no line" }
}

/// Why an answer was refused: `confidence 1e9 for xgboost_v1 at line 24.5 (must be 0–100)`.
public struct AnswerRefusal: Error, Sendable, CustomStringConvertible {
    public let player: PlayerLookup
    public let detail: String
    public var description: String { "\(detail) for player \(player)" }
}
