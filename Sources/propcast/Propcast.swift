import ArgumentParser
import Foundation
import Logging
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
            CoordinatorCommand.self,
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
            setUpLogging(for: command)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            // Any command's failure, however deep it was thrown: one way to say it.
            printToStderr("propcast: \(failure.description)")
            Foundation.exit(failure.status.rawValue)
        } catch where exitCode(for: error) == .success && fullMessage(for: error).contains("USAGE:") {
            // --help: the parser's help, then the command's examples.
            var help = fullMessage(for: error).trimmingCharacters(in: .newlines)
            if let examples = command(named: Array(CommandLine.arguments.dropFirst())) as? any CommandExamples.Type {
                help += "\n\n" + examples.examplesSection
            }
            print(help)
            Foundation.exit(0)
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }

    /// Logging as the command's ``LoggingOptions`` say, before it runs.
    private static func setUpLogging(for command: any ParsableCommand) {
        guard let logged = command as? any LoggingCommand else { return }
        logged.logging.bootstrap(defaultLevel: type(of: logged).defaultLogLevel)
    }
}
