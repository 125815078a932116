import Foundation
import PropcastJournal
import PropcastModels

/// What a run has to do, worked out from the store's inputs, the journal's index and the
/// workers' model versions before anything is sent:
/// - players whose expected rows (``ExpectedPredictions``) are all current in the journal,
///   or who were skipped as a whole on the same inputs, are done;
/// - current rows that are no longer expected are superseded, with the reason
///   `inputs_changed`, `line_withdrawn` or `model_changed`;
/// - everyone else is dispatched.
public struct BatchPlan: Sendable {
    /// Players to send, in dispatch order.
    public let remaining: [PlayerLookup]
    /// The expected rows of every loaded player.
    public let expectations: [PlayerLookup: ExpectedPredictions]
    /// Players already done in the journal (covered, or skipped on the same inputs).
    public let alreadyComplete: Set<PlayerLookup>
    /// The coverage verdict of each player already done.
    public let completed: [PlayerLookup: CoverageVerdict]
    /// Superseded records to journal before dispatching.
    public let superseded: [JournalEntry.Superseded]
    /// The model versions the plan expects rows under.
    public let modelVersions: [SystemID: String]

    /// Builds the plan. `modelVersions` are the versions the workers announced.
    public init(inputs: [PlayerInput], index: JournalIndex, modelVersions: [SystemID: String]) {
        var remaining: [PlayerLookup] = []
        var expectations: [PlayerLookup: ExpectedPredictions] = [:]
        var complete: Set<PlayerLookup> = []
        var completed: [PlayerLookup: CoverageVerdict] = [:]
        var superseded: [JournalEntry.Superseded] = []
        let computed = Self.expectations(of: inputs, modelVersions: modelVersions)
        expectations.reserveCapacity(inputs.count)
        for (input, expected) in zip(inputs, computed) {
            expectations[input.player] = expected
            let current = index.currentRows[input.player] ?? [:]
            let allExpected = expected.ids()
            superseded += Self.stale(current.filter { !allExpected.contains($0.key) }, of: input, modelVersions: modelVersions)
            let wanted = index.wantedIDs(expected)
            let skippedAsWhole = index.skippedPlayers[input.player]?.inputFingerprint == expected.inputFingerprint
            if skippedAsWhole || (!wanted.isEmpty && wanted.allSatisfy { current[$0] != nil }) {
                complete.insert(input.player)
                completed[input.player] = CoverageVerdict(expected, index: index)
            } else {
                remaining.append(input.player)
            }
        }
        self.remaining = remaining
        self.expectations = expectations
        self.alreadyComplete = complete
        self.completed = completed
        self.superseded = superseded
        self.modelVersions = modelVersions
    }

    /// The coverage verdict of each of `inputs` against `index` (those the plan found
    /// complete keep the plan's): for players that will not be sent (the batch stopped).
    public func verdicts(of inputs: [PlayerInput], index: JournalIndex) -> [(PlayerLookup, CoverageVerdict)] {
        inputs.compactMap { input in
            completed[input.player].map { (input.player, $0) }
                ?? expectations[input.player].map { (input.player, CoverageVerdict($0, index: index)) }
        }
    }

    /// Every input's expected rows, computed on all cores (ids and fingerprints are hashes:
    /// the bulk of planning a large date).
    private static func expectations(of inputs: [PlayerInput], modelVersions: [SystemID: String]) -> [ExpectedPredictions] {
        let chunks = min(max(1, inputs.count / 64), ProcessInfo.processInfo.activeProcessorCount * 4)
        let chunkSize = (inputs.count + chunks - 1) / max(1, chunks)
        var results = [ExpectedPredictions?](repeating: nil, count: inputs.count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes its own disjoint range of the buffer.
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for index in chunk * chunkSize..<min(inputs.count, (chunk + 1) * chunkSize) {
                    slots[index] = ExpectedPredictions(inputs[index], modelVersions: modelVersions)
                }
            }
        }
        return results.map { $0! }
    }

    /// Why each no-longer-expected row stands no more, one record per reason.
    private static func stale(_ rows: [PredictionID: JournalIndex.CurrentRow], of input: PlayerInput,
                              modelVersions: [SystemID: String]) -> [JournalEntry.Superseded] {
        guard !rows.isEmpty else { return [] }
        var byReason: [String: [PredictionID]] = [:]
        for (id, row) in rows {
            let reason: String
            if row.inputFingerprint == nil {
                reason = SupersedeReason.idSchemeUpgraded
            } else if modelVersions[row.system] != row.modelVersion {
                reason = SupersedeReason.modelChanged
            } else if let line = row.line, !input.lineValues.contains(line) {
                reason = SupersedeReason.lineWithdrawn
            } else if row.line == nil, !input.lineValues.isEmpty {
                reason = SupersedeReason.lineWithdrawn
            } else {
                reason = SupersedeReason.inputsChanged
            }
            byReason[reason, default: []].append(id)
        }
        return byReason.sorted { $0.key < $1.key }.map { reason, ids in
            JournalEntry.Superseded(predictionIDs: ids.sorted { $0.description < $1.description },
                                    player: input.player, reason: reason)
        }
    }
}

/// The `reason` codes of `superseded` records.
public enum SupersedeReason {
    /// The store's inputs for the player changed (the fingerprint differs).
    public static let inputsChanged = "inputs_changed"
    /// The line is no longer offered.
    public static let lineWithdrawn = "line_withdrawn"
    /// The workers run another model version for the system.
    public static let modelChanged = "model_changed"
    /// A journal v1 row (its id has no input fingerprint), replaced by a fingerprinted row
    /// on the first run after the upgrade.
    public static let idSchemeUpgraded = "id_scheme_upgraded"
}
