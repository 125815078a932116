/// Grades prediction rows against actual points (pure; no I/O).
///
/// Per system:
/// - **MAE** over distinct player-games (player, date, game) with actual points. A system
///   writes one row per line with the same predicted points, so each player-game counts once
///   (its first row's prediction).
/// - **Hit rate** over OVER/UNDER rows with a line and actual points: a hit is OVER with
///   actual > line or UNDER with actual < line; actual == line is a push and is excluded;
///   PASS rows are counted separately and excluded. Every line is a separate call.
public enum Grading {
    /// One ``GradingSummary`` per system present in `rows`: the five systems in
    /// `SystemID.all` order first, then any others by id.
    public static func grade(_ rows: [PredictionRow], actuals: [GradingKey: Double]) -> [GradingSummary] {
        var summaries: [SystemID: GradingSummary] = [:]
        var seenPlayerGames = Set<PlayerGame>()
        for row in rows {
            var summary = summaries[row.systemID] ?? GradingSummary(systemID: row.systemID)
            defer { summaries[row.systemID] = summary }
            guard let actual = actuals[GradingKey(player: row.player, gameDate: row.gameDate)] else {
                summary.ungradedRows += 1
                continue
            }
            let playerGame = PlayerGame(system: row.systemID, player: row.player, date: row.gameDate, game: row.gameID)
            if seenPlayerGames.insert(playerGame).inserted {
                summary.gradedPlayerGames += 1
                summary.absoluteErrorSum += abs(row.predictedPoints - actual)
            }
            switch (row.recommendation, row.line?.rawValue) {
            case (.pass, _):
                summary.passes += 1
            case (_, nil):
                continue  // a call without a line cannot be graded
            case (_, let line?) where actual == line:
                summary.pushes += 1
            case (.over, let line?):
                summary.calls += 1
                if actual > line { summary.hits += 1 }
            case (.under, let line?):
                summary.calls += 1
                if actual < line { summary.hits += 1 }
            }
        }
        return ordered(summaries)
    }

    /// Sums summaries graded separately over disjoint player-games (e.g. one list per date),
    /// per system, in the same order as ``grade(_:actuals:)``.
    public static func merge(_ lists: [[GradingSummary]]) -> [GradingSummary] {
        var summaries: [SystemID: GradingSummary] = [:]
        for summary in lists.joined() {
            summaries[summary.systemID, default: GradingSummary(systemID: summary.systemID)].add(summary)
        }
        return ordered(summaries)
    }

    private static func ordered(_ summaries: [SystemID: GradingSummary]) -> [GradingSummary] {
        let known = SystemID.all.compactMap { summaries[$0] }
        let others = summaries.values.filter { !SystemID.all.contains($0.systemID) }.sorted { $0.systemID < $1.systemID }
        return known + others
    }

    private struct PlayerGame: Hashable {
        var system: SystemID
        var player: PlayerLookup
        var date: GameDate
        var game: GameID
    }
}
