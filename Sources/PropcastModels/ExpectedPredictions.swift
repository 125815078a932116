/// The one definition of a complete answer for a player: which (system, line) rows the
/// player's inputs call for, each with its input fingerprint and prediction id.
///
/// Every system × every offered line (one row per system with no line when none is
/// offered), in `SystemID.all` order, lines in input order. The similarity system without
/// recent games is a deterministic system-level skip ("no historical games") and is not
/// expected. Other skips are only known after the systems ran (too few similar games, the
/// ensemble with fewer than two base systems); the journal records them and callers pass
/// them as `skipping`. The engine, the batch plan, coverage and `batch status` all ask this
/// type; nothing else derives a prediction id from inputs.
public struct ExpectedPredictions: Sendable, Hashable {
    /// One expected output row.
    public struct Row: Sendable, Hashable {
        public let system: SystemID
        public let line: LineValue?
        public let fingerprint: InputFingerprint
        public let id: PredictionID
    }

    /// The player.
    public let player: PlayerLookup
    /// The fingerprint of the inputs without a line: the identity of the inputs the systems
    /// ran on, stamped on skip records (a skip applies to every line).
    public let inputFingerprint: InputFingerprint
    /// Systems that cannot run on these inputs (similarity without history).
    public let deterministicSkips: Set<SystemID>
    /// The rows of every system that can run, system-major.
    public let rows: [Row]
    /// The model version each system's rows are expected under.
    public let modelVersions: [SystemID: String]

    /// The expected rows of `input` with the given model versions (a system without a
    /// version is expected under version `unknown`, which no worker announces).
    public init(_ input: PlayerInput, modelVersions: [SystemID: String]) {
        player = input.player
        self.modelVersions = modelVersions
        var canonical = CanonicalInputs(input)
        let noLine = canonical.fingerprint(line: nil)
        inputFingerprint = noLine
        deterministicSkips = input.recentGames.isEmpty ? [.similarity] : []
        let lines: [LineValue?] = input.lineValues.isEmpty ? [nil] : input.lineValues.map { $0 }
        let fingerprints = lines.map { $0 == nil ? noLine : canonical.fingerprint(line: $0) }
        let dateText = input.gameDate.description
        let lineTexts = lines.map { $0.map(\.description) ?? "none" }
        var rows: [Row] = []
        rows.reserveCapacity(SystemID.all.count * lines.count)
        for system in SystemID.all where !deterministicSkips.contains(system) {
            let version = modelVersions[system] ?? "unknown"
            for index in lines.indices {
                rows.append(Row(system: system, line: lines[index], fingerprint: fingerprints[index],
                                id: PredictionID(gameDateText: dateText, player: input.player, gameID: input.gameID,
                                                 system: system, lineText: lineTexts[index], modelVersion: version,
                                                 inputFingerprint: fingerprints[index])))
            }
        }
        self.rows = rows
    }

    /// The ids of the expected rows, minus the systems in `skipping`.
    public func ids(skipping skipped: Set<SystemID> = []) -> Set<PredictionID> {
        var ids = Set<PredictionID>(minimumCapacity: rows.count)
        for row in rows where !skipped.contains(row.system) { ids.insert(row.id) }
        return ids
    }

    /// The expected row of `system` against `line`, if that row is expected.
    public func row(system: SystemID, line: LineValue?) -> Row? {
        rows.first { $0.system == system && $0.line == line }
    }
}
