import PropcastJournal
import PropcastModels

/// What a run has to do, worked out from the store's inputs, the journal's index and the
/// workers' model versions — before anything is sent:
/// - players whose expected predictions are all journaled (or who were skipped) are done;
/// - journaled predictions that are no longer expected (a line was withdrawn, a model
///   changed) are superseded;
/// - everyone else is dispatched.
public struct BatchPlan: Sendable {
    /// Inputs to send, in dispatch order.
    public let remaining: [PlayerInput]
    /// Players already complete in the journal.
    public let alreadyComplete: Set<PlayerLookup>
    /// Superseded records to journal before dispatching.
    public let superseded: [JournalEntry.Superseded]

    /// Builds the plan. `modelVersions` are the versions the workers announced.
    public init(inputs: [PlayerInput], index: JournalIndex, modelVersions: [SystemID: String]) {
        var remaining: [PlayerInput] = []
        var complete: Set<PlayerLookup> = []
        var superseded: [JournalEntry.Superseded] = []
        for input in inputs {
            let skippedSystems = index.skippedSystems[input.player] ?? []
            let expected = Self.expectedIDs(for: input, modelVersions: modelVersions, skipping: skippedSystems)
            let journaled = (index.predictionIDsByPlayer[input.player] ?? []).subtracting(index.supersededIDs)
            let stale = journaled.subtracting(expected)
            if !stale.isEmpty {
                superseded.append(JournalEntry.Superseded(
                    predictionIDs: stale.sorted { $0.description < $1.description }, player: input.player,
                    reason: "no longer expected: lines now \(input.lineValues.map(\.description)), models \(modelVersions.count)"))
            }
            let playerSkipped = index.skippedPlayers[input.player] != nil
            // Complete: skipped as a whole, or every expected row journaled (when every system
            // was skipped for the player, nothing is expected and the skips complete it).
            let allSkipped = expected.isEmpty && !skippedSystems.isEmpty
            if playerSkipped || allSkipped || (!expected.isEmpty && expected.isSubset(of: journaled)) {
                complete.insert(input.player)
            } else {
                remaining.append(input)
            }
        }
        self.remaining = remaining
        self.alreadyComplete = complete
        self.superseded = superseded
    }

    /// Expected ids of every input, given what the journal says was skipped per system.
    public static func expectedIDs(for inputs: [PlayerInput], index: JournalIndex,
                                   modelVersions: [SystemID: String]) -> [PlayerLookup: Set<PredictionID>] {
        Dictionary(inputs.map { input in
            (input.player, expectedIDs(for: input, modelVersions: modelVersions,
                                       skipping: index.skippedSystems[input.player] ?? []))
        }) { first, _ in first }
    }

    /// The ids a complete answer for `input` consists of: every system (minus the ones the
    /// journal says were skipped for this player) × every line (or no line).
    public static func expectedIDs(for input: PlayerInput, modelVersions: [SystemID: String],
                                   skipping skipped: Set<SystemID>) -> Set<PredictionID> {
        let lines: [LineValue?] = input.lineValues.isEmpty ? [nil] : input.lineValues.map { $0 }
        var ids = Set<PredictionID>()
        for system in SystemID.all where !skipped.contains(system) {
            let version = modelVersions[system] ?? "unknown"
            for line in lines {
                ids.insert(PredictionID(gameDate: input.gameDate, player: input.player, gameID: input.gameID,
                                        system: system, line: line, modelVersion: version))
            }
        }
        return ids
    }
}
