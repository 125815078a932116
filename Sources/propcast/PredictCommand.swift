import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastModels
import PropcastStore

/// `propcast predict`: runs the five systems in-process for players from a JSON file or the
/// feature store and prints each system's answer.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run all five prediction systems in-process and show each system's answer.",
        discussion: """
            Reads players from --input (a JSON file holding one PlayerInput object or an array \
            of them, snake_case keys: player_lookup, game_date, game_id, features {the 25 of \
            v1_baseline_25}, feature_quality_score, data_source, line_values, recent_games) or \
            from --store with --date (and optionally --player). Prints, per player and system, \
            the predicted points, confidence (0–100) and recommendation per line, or why the \
            system or player was skipped; with --json one JSON line per player instead. \
            Exit 2 for an unreadable input, store or model directory, for a --player who has no \
            features on --date, and for a date without players.
            """)

    @Option(help: ArgumentHelp("JSON file with one PlayerInput object or an array of them.", valueName: "file.json"))
    var input: String?

    @Option(help: ArgumentHelp("Feature store (SQLite file or postgresql:// URL) to read players from, with --date.", valueName: "store")) var store: String?
    @Option(help: ArgumentHelp("Game date (YYYY-MM-DD) to read from --store.", valueName: "date")) var date: String?
    @Option(name: .customLong("player"),
            help: ArgumentHelp("Only this player_lookup from --store (repeatable; default: everyone on --date).", valueName: "player"))
    var players: [String] = []

    @Option(help: ArgumentHelp(ModelDirectory.help, valueName: "dir")) var models: String?
    @Option(help: "Players with a feature_quality_score below this are skipped.")
    var minimumQuality: Double = ValidationConfiguration().minimumQualityScore

    @Flag(help: "Print one JSON line per player instead of a table.") var json = false
    @OptionGroup var logging: LoggingOptions


    func validate() throws {
        switch (input, store) {
        case (nil, nil): throw Self.failure("give --input FILE.json or --store FILE --date YYYY-MM-DD")
        case (.some, .some): throw Self.failure("give either --input or --store, not both")
        case (nil, .some):
            guard let date else { throw Self.failure("--store needs --date YYYY-MM-DD") }
            guard GameDate(date) != nil else { throw Self.failure("--date '\(date)' is not a date in YYYY-MM-DD form") }
        case (.some, nil):
            guard date == nil, players.isEmpty else { throw Self.failure("--date and --player only apply with --store") }
        }
    }

    func run() async throws {
        let inputs = try loadInputs()
        let registry = try ModelDirectory.loadRegistry(models)
        let configuration = EngineConfiguration(validation: ValidationConfiguration(minimumQualityScore: minimumQuality))
        let engine = PredictionEngine(registry: registry, configuration: configuration)
        for input in inputs {
            let result = engine.predict(input)
            print(json ? try result.jsonLine() : result.table)
        }
    }

    private func loadInputs() throws -> [PlayerInput] {
        if let input {
            let loaded: [PlayerInput]
            do {
                loaded = try PlayerInputFile.load(path: input)
            } catch {
                throw Self.failure("\(error)")
            }
            guard !loaded.isEmpty else { throw Self.failure("\(input) holds no players (an empty array)") }
            return loaded
        }
        guard let store, let day = date.flatMap(GameDate.init) else { throw Self.failure("--store needs --date YYYY-MM-DD") }
        let inputs: [PlayerInput]
        do {
            let featureStore = try FeatureStore(path: store)
            inputs = try featureStore.playerInputs(on: day, players: players.isEmpty ? nil : players.map { PlayerLookup($0) })
        } catch {
            throw Self.failure("\(error)")
        }
        let found = Set(inputs.map(\.player.rawValue))
        let unknown = players.filter { !found.contains($0) }
        if !unknown.isEmpty {
            throw Self.failure("no features for \(unknown.joined(separator: ", ")) on \(day) in \(store); "
                               + "`propcast store info --store \(store) --date \(day)` shows how many players that date has")
        }
        if inputs.isEmpty {
            throw Self.failure("no player has features on \(day) in \(store); "
                               + "`propcast store info --store \(store)` shows the store's dates")
        }
        return inputs
    }

    /// The usage failure `predict: <message>` (exit 2).
    private static func failure(_ message: String) -> CommandFailure {
        CommandFailure(.usage, "predict: \(message)")
    }
}
