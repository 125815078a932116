import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastWorker

/// The `propcast` command: one executable for workers, the coordinator and operators.
@main
struct Propcast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propcast",
        abstract: "NBA player-points prop predictions on a pool of worker hosts.",
        version: PropcastVersion.number,
        subcommands: [
            WorkerCommand.self,
            BatchCommand.self,
            DemoCommand.self,
            JournalCommand.self,
            PredictCommand.self,
            StoreCommand.self,
            GradeCommand.self,
            ModelCommand.self,
            PingCommand.self,
            BenchCommand.self,
        ]
    )

    /// Runs the command; an argument error (an unknown option, a bad value) exits 2 like every
    /// other usage error (``ExitStatus/usage``), not with the parser's EX_USAGE (64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            // Any command's failure, however deep it was thrown: one way to say it.
            printToStderr("propcast: \(failure.description)")
            Foundation.exit(failure.status.rawValue)
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
