import PropcastJournal
import PropcastModels

extension JournalIndex {
    /// The systems the journal shows skipped for `expected`'s player on the same inputs and
    /// by the same model versions: their rows are not part of a complete answer.
    func skippedSystems(for expected: ExpectedPredictions) -> Set<SystemID> {
        skippedSystems(of: expected.player, inputs: expected.inputFingerprint, versions: expected.modelVersions)
    }

    /// The ids `expected` calls for, minus the systems skipped on the same inputs and models.
    func wantedIDs(_ expected: ExpectedPredictions) -> Set<PredictionID> {
        expected.ids(skipping: skippedSystems(for: expected))
    }
}
