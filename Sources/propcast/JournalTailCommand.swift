import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels

/// `propcast journal tail`: prints a journal's records, verifying each line, and with `-f`
/// keeps following it like `tail -f` (also before the file exists).
struct JournalTailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print a journal's records (verified line by line); -f keeps following it.",
        discussion: "Exits 1 when a corrupt line is found, naming it. A bad last line is reported as a "
            + "possible torn tail and following continues.")

    @OptionGroup var location: JournalLocationOptions
    @Flag(name: [.customShort("f"), .customLong("follow")], help: "Keep following the journal as it grows (waits if it does not exist yet).")
    var follow = false

    @Option(name: .customShort("n"), help: "How many of the existing records to print first.") var lines = 10
    @Flag(help: "Print every existing record instead of the last -n.") var all = false
    @Option(help: "Only records about this player (player_lookup).") var player: String?
    @Option(help: "Only records about this system (e.g. xgboost_v1).") var system: String?
    @Flag(help: "Print each record's JSON as written instead of a readable line.") var json = false
    @Option(help: "With -f: how often to look for new data (e.g. 200ms).")
    var pollInterval: DurationArgument = DurationArgument(argument: "200ms")!
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let date = try location.resolvedDate()
        guard lines >= 0, pollInterval.duration > .zero else {
            throw CommandFailure(.usage, "-n must be ≥ 0 and --poll-interval > 0")
        }
        let path = location.directory.journalPath(for: date)
        if !follow, !FileManager.default.fileExists(atPath: path) {
            throw CommandFailure(.usage, "no journal for \(date) at \(path) (use -f to wait for it)")
        }
        var follower = JournalFollower(path: path, date: date)
        var backlog: [String] = []
        var healthy = handle(try follower.poll(), into: &backlog)
        for line in all ? backlog : Array(backlog.suffix(lines)) { emit(line) }
        while healthy && follow {
            try await Task.sleep(for: pollInterval.duration)
            var fresh: [String] = []
            healthy = handle(try follower.poll(), into: &fresh)
            for line in fresh { emit(line) }
        }
        if !healthy { throw ExitStatus.journal.exit }
    }

    /// Appends the lines to print for `events`; false once the journal turned out corrupt.
    private func handle(_ events: [JournalFollower.Event], into output: inout [String]) -> Bool {
        for event in events {
            switch event {
            case .record(let record, let text):
                if let player, !record.concerns(player: PlayerLookup(player)) { continue }
                if let system, !record.concerns(system: SystemID(rawValue: system)) { continue }
                output.append(json ? text : record.displayLine)
            case .suspect(let defect):
                printToStderr("propcast journal tail: \(defect) (a torn tail if nothing follows)")
            case .restarted(let reason):
                printToStderr("propcast journal tail: \(reason); re-reading")
            case .corrupt(let defect):
                printToStderr("propcast journal tail: \(defect); the journal is corrupt, "
                    + "run `propcast journal verify`")
                return false
            }
        }
        return true
    }

    private func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
