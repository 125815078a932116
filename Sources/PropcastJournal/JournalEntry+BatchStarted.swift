import PropcastModels

extension JournalEntry.BatchStarted {
    /// The `config` key holding the model versions the batch's workers run
    /// (`system=version,…`, systems sorted).
    public static let modelVersionsKey = "model_versions"

    /// `system=version,…` for `config`.
    public static func modelVersionsText(_ versions: [SystemID: String]) -> String {
        versions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// The model versions recorded in `config`, if any.
    public var modelVersions: [SystemID: String]? {
        guard let text = config[Self.modelVersionsKey], !text.isEmpty else { return nil }
        var versions: [SystemID: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            versions[SystemID(rawValue: parts[0])] = parts[1]
        }
        return versions
    }
}
