import PropcastModels

extension JournalRecord {
    /// One readable line for `journal tail`, e.g.
    /// `#12 18:00:01.123Z prediction lebronjames zone_matchup_v1 line 24.5 → 26.3 OVER conf 62`.
    public var displayLine: String {
        let time = timestamp.split(separator: "T").last.map(String.init) ?? timestamp
        let head = "#\(seq) \(time) \(entry.type.rawValue)"
        switch entry {
        case .batchStarted(let started):
            return "\(head) date \(started.gameDate) coordinator \(started.coordinator) "
                + "workers \(started.workers.count) expected players \(started.expectedPlayers)"
        case .prediction(let row):
            let line = row.line.map { "line \($0)" } ?? "no line"
            return "\(head) \(row.player) \(row.systemID) \(line) → \(Self.decimal(row.predictedPoints)) "
                + "\(row.recommendation.rawValue) conf \(Self.decimal(row.confidenceScore))"
        case .playerSkipped(let skipped):
            let scope = skipped.system.map { " \($0)" } ?? ""
            return "\(head) \(skipped.player)\(scope): \(skipped.reasons.joined(separator: "; "))"
        case .playerFailed(let failed):
            return "\(head) \(failed.player) after \(failed.attempts) attempts: \(failed.lastReason)"
        case .attemptFailed(let failed):
            let scope = failed.system.map { " \($0)" } ?? ""
            let worker = failed.worker.map { " on \($0)" } ?? ""
            return "\(head) \(failed.player)\(scope) attempt \(failed.attempt)\(worker): \(failed.reason)"
        case .superseded(let superseded):
            let who = superseded.player.map { " \($0)" } ?? ""
            return "\(head)\(who) \(superseded.predictionIDs.count) predictions: \(superseded.reason)"
        case .batchFinished(let finished):
            return "\(head) \(finished.outcome) covered \(finished.playersCovered) skipped \(finished.playersSkipped) "
                + "failed \(finished.playersFailed) missing \(finished.playersMissing) of \(finished.expectedPlayers) players, "
                + "\(finished.predictions) predictions, coverage \(Self.decimal(finished.coveragePercent))%"
        }
    }

    /// Whether the record concerns `player` (records about no player never match).
    public func concerns(player: PlayerLookup) -> Bool { entry.player == player }

    /// Whether the record concerns `system` (records about no system never match).
    public func concerns(system: SystemID) -> Bool { entry.system == system }

    /// One decimal; whole numbers without it. Values no `Int` can hold print as they are.
    private static func decimal(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        if let whole = Int(exactly: rounded) { return String(whole) }
        return String(rounded)
    }
}
