import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels

/// Hidden test helper: appends predictions as fast as it can and prints each seq (one per
/// line, written straight to stdout) right after its `append` returned, so a test that kills
/// the process knows which records were acknowledged. With `--hold` it only takes the writer
/// lock, prints `ready <pid>`, and keeps it until stdin closes.
struct JournalStressAppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress-append",
        abstract: "Test helper: append synthetic predictions and print each acknowledged seq.",
        shouldDisplay: false)

    @Option(help: "Journal directory.") var dir: String
    @Option(help: "Game date (YYYY-MM-DD).") var date: String
    @Option(help: "Predictions to append (0 = until killed).") var count = 0
    @Option(help: "Concurrent appending tasks.") var appenders = 4
    @Flag(help: "Take the lock, print `ready <pid>`, hold it until stdin closes; append nothing.") var hold = false
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        guard let gameDate = GameDate(date) else { throw CommandFailure(.usage, "--date '\(date)' is not YYYY-MM-DD") }
        guard appenders > 0, count >= 0 else { throw CommandFailure(.usage, "--appenders must be > 0 and --count ≥ 0") }
        let writer: JournalWriter
        do {
            writer = try await JournalWriter.open(directory: dir, date: gameDate)
        } catch {
            printToStderr("propcast journal stress-append: \(error)")
            if case JournalError.locked = error { throw ExitStatus.alreadyRunning.exit }
            throw ExitStatus.journal.exit
        }
        if hold {
            emitLine("ready \(getpid())\n")
            await Self.waitForStandardInputToClose()
            await writer.close()
            return
        }
        var drill = JournalStressDrill(directory: dir, date: gameDate)
        (drill.count, drill.appenders) = (count, appenders)
        try await drill.run(writer: writer) { emitLine("\($0)\n") }
        await writer.close()
    }

    private static func waitForStandardInputToClose() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                _ = FileHandle.standardInput.readDataToEndOfFile()
                continuation.resume()
            }
        }
    }
}

/// Writes straight to stdout (one `write` call, so lines from concurrent tasks never interleave).
private func emitLine(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
