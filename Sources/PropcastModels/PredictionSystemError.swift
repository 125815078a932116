/// Why a prediction system could not run for a player. The engine reports it as a failure
/// of that one system; the other systems still answer.
public struct PredictionSystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The system that failed.
    public var systemID: SystemID
    /// What went wrong, e.g. `feature fatigue_score is missing`.
    public var detail: String

    /// Creates an error.
    public init(systemID: SystemID, detail: String) {
        self.systemID = systemID
        self.detail = detail
    }

    /// `<system>: <detail>`, with what to do.
    public var description: String {
        "\(systemID): \(detail) (validate the input first; see InputValidator)"
    }
}

extension FeatureSet {
    /// The value of `feature`, or a ``PredictionSystemError`` naming `system` when it is absent.
    /// The rule systems have no documented defaults; validation guarantees all 25 are present.
    func required(_ feature: Feature, by system: SystemID) throws(PredictionSystemError) -> Double {
        guard let value = self[feature] else {
            throw PredictionSystemError(systemID: system, detail: "feature \(feature.name) is missing")
        }
        return value
    }
}
