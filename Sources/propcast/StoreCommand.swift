import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastModels
import PropcastPostgres
import PropcastSeason
import PropcastStore

/// `propcast store`: create a synthetic feature store, or describe one.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Create (seed) or inspect a feature store (an SQLite file or a PostgreSQL database).",
        subcommands: [Seed.self, Info.self]
    )

    /// `propcast store seed`: a deterministic synthetic season.
    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed",
            abstract: "Write a deterministic synthetic season (features, game history, lines) to a new store file or an empty PostgreSQL store."
        )

        @Option(name: .customLong("store"), help: ArgumentHelp(
            "Store file to create (SQLite), or a postgresql:// URL whose tables to fill.",
            discussion: "A PostgreSQL store needs its schema first: psql URL -f Ops/sql/propcast-store.sql."))
        var path: String
        @Option(help: "Season label YYYY-YY (regular season late October to mid April).") var season = "2024-25"
        @Option(help: ArgumentHelp("Number of players, spread evenly over the teams (1–400 per team).",
                                   discussion: "A date has the players of the teams that play that day, about half "
                                       + "the league on a busy one: 12,000 players over 30 teams give 5,000 or more on "
                                       + "the busiest dates (with --last-date early in the season to keep seeding short)."))
        var players = 450

        @Option(help: "Number of teams (2–30).") var teams = 30
        @Option(help: "Seed of the pseudo-random generator; the same seed gives an identical file.") var seed: UInt64 = 42
        @Option(help: "Last game date to generate (YYYY-MM-DD); default the end of the season.") var lastDate: String?
        @Flag(help: "Replace the file if it exists (on PostgreSQL: empty the tables first).") var force = false
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            let last = try lastDate.map { text in
                guard let date = GameDate(text) else { throw CommandFailure(.usage, "--last-date '\(text)' is not YYYY-MM-DD") }
                return date
            }
            let configuration = StoreSeedConfiguration(season: season, players: players, teams: teams, seed: seed, lastDate: last)
            do { _ = try configuration.validatedDates() } catch { throw CommandFailure(.usage, "\(error)") }
            let isPostgres = PostgresURL.isPostgres(path)
            if !isPostgres, FileManager.default.fileExists(atPath: path) {
                guard force else { throw CommandFailure(.usage, "\(path): file already exists (pass --force to replace it)") }
                try FileManager.default.removeItem(atPath: path)
            }
            let started = ContinuousClock.now
            let info: StoreInfo
            do { info = try StoreSeeder(configuration: configuration).seed(path: path, replacing: force) } catch let error as PostgresError {
                throw CommandFailure(.usage, "\(error)")
            }
            let elapsed = ContinuousClock.now - started
            let shown = PostgresURL(path)?.masked ?? path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int).flatMap { $0 }
            print("wrote " + info.text(path: shown).dropFirst("store ".count))
            print("  season \(season), seed \(seed), \(players) players on \(teams) teams, "
                  + (size.map { "size \(String(format: "%.1f", Double($0) / 1_048_576)) MiB, " } ?? "")
                  + "time \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2))))")
        }
    }

    /// `propcast store info`: date range, counts, readiness.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Show a store's date range and row counts, and readiness for a date."
        )

        @Option(name: .customLong("store"), help: "Store file to read (SQLite) or postgresql:// URL.") var path: String
        @Option(help: "Game date (YYYY-MM-DD) whose readiness to show.") var date: String?
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            let readinessDate = try date.map { text in
                guard let date = GameDate(text) else { throw CommandFailure(.usage, "--date '\(text)' is not YYYY-MM-DD") }
                return date
            }
            let store: FeatureStore
            do { store = try FeatureStore(path: path) } catch { throw CommandFailure(.usage, "\(error)") }
            print(try store.info().text(path: store.path))
            guard let readinessDate else { return }
            let started = ContinuousClock.now
            let inputs = try store.playerInputs(on: readinessDate)
            let elapsed = ContinuousClock.now - started
            print("player inputs \(readinessDate): \(inputs.count) players, \(inputs.map(\.recentGames.count).reduce(0, +)) "
                  + "recent games, loaded in \(elapsed.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1))))")
            print(try store.readiness(on: readinessDate).text(rule: ReadinessRule()))
        }
    }
}
