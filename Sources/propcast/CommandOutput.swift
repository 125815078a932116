import ArgumentParser
import Foundation

/// A failure the user can act on: printed on stderr as `propcast: <message>`, then exit.
struct CommandFailure: Error, CustomStringConvertible {
    let exitCode: Int32
    let description: String

    init(exitCode: Int32, _ message: String) {
        self.exitCode = exitCode
        self.description = message
    }
}

/// Runs a command body, turning ``CommandFailure`` into `propcast: <message>` on stderr and
/// its exit code, so scripts and systemd see a meaningful status.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let failure as CommandFailure {
        printToStderr("propcast: \(failure.description)")
        throw ExitCode(failure.exitCode)
    }
}

/// Writes one line to stderr.
func printToStderr(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes one line to stdout immediately (unbuffered), for lines other programs wait for.
func printFlushed(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
