import Foundation
import PropcastJournal
import PropcastModels
import PropcastStore

/// `batch status`: coverage of a date computed from its journal against the store's
/// expected players and current lines, overall and per system. Reads only; takes no lock.
public struct BatchStatus: Sendable, Codable {
    /// Per-system coverage.
    public struct SystemCoverage: Sendable, Codable {
        public var systemID: String
        /// Players with at least one current prediction from this system.
        public var playersPredicted: Int
        /// Players for whom this system was skipped (e.g. no history).
        public var playersSkipped: Int
        public var predictions: Int
    }

    public var date: String
    public var journalPath: String
    public var journalExists: Bool
    public var coverage: CoverageReport
    public var coveragePercent: Double
    public var systems: [SystemCoverage]
    public var lastRunFinishedAt: String?

    /// Builds the status of `date`.
    /// - Throws: store or journal errors (a journal that does not verify is an error).
    public init(date: GameDate, storePath: String, journalDirectory: String) throws {
        let store = try FeatureStore(path: storePath)
        let inputs = try store.playerInputs(on: date)
        let readiness = try store.readiness(on: date)
        let path = JournalDirectory(journalDirectory).journalPath(for: date)
        let exists = FileManager.default.fileExists(atPath: path)
        let contents = exists ? try JournalReader.read(path: path, date: date) : nil
        let index = contents?.index ?? JournalIndex()
        var versions: [SystemID: String] = [:]
        var rowsBySystem: [SystemID: [PredictionID: PlayerLookup]] = [:]
        for record in contents?.records ?? [] {
            if case .prediction(let row) = record.entry {
                versions[row.systemID] = row.modelVersion
                rowsBySystem[row.systemID, default: [:]][row.predictionID] = row.player
            }
        }
        let expected = BatchPlan.expectedIDs(for: inputs, index: index, modelVersions: versions)
        let coverage = CoverageReport(index: index, expectedIDs: expected,
                                      expectedPlayers: max(readiness.expectedPlayers, inputs.count))
        self.date = date.description
        self.journalPath = path
        self.journalExists = exists
        self.coverage = coverage
        self.coveragePercent = coverage.percent
        self.lastRunFinishedAt = index.lastBatchFinished == nil ? nil : index.lastTimestamp
        self.systems = SystemID.all.map { system in
            let current = (rowsBySystem[system] ?? [:]).filter { !index.supersededIDs.contains($0.key) }
            return SystemCoverage(systemID: system.rawValue, playersPredicted: Set(current.values).count,
                                  playersSkipped: index.skippedSystems.values.filter { $0.contains(system) }.count,
                                  predictions: current.count)
        }
    }

    /// 0 when coverage ≥ 90 %, else 3 (so a timer unit fails and alerts).
    public var exitCode: Int32 { coverage.percent >= BatchReport.minimumCoveragePercent ? 0 : 3 }

    /// A readable table.
    public var table: String {
        var lines = ["batch status \(date): \(String(format: "%.1f", coverage.percent))% coverage "
                     + "(\(coverage.completePlayers)/\(coverage.expectedPlayers) players; "
                     + "\(coverage.skippedPlayers) skipped, \(coverage.failedPlayers) failed, \(coverage.missingPlayers) missing)"]
        if !journalExists { lines.append("  no journal yet at \(journalPath)") }
        func row(_ columns: [String]) -> String {
            "  " + columns[0].padding(toLength: 24, withPad: " ", startingAt: 0)
                + columns.dropFirst().map { $0.leftPadded(to: 12) }.joined()
        }
        lines.append(row(["system", "players", "skipped", "predictions"]))
        for system in systems {
            lines.append(row([system.systemID, "\(system.playersPredicted)", "\(system.playersSkipped)",
                              "\(system.predictions)"]))
        }
        lines.append("  journal: \(journalPath)")
        return lines.joined(separator: "\n")
    }
}
