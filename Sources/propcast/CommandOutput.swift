import ArgumentParser
import Foundation
import PropcastCoordinator

/// A failure the user can act on, thrown from anywhere in a command: `Propcast.main()` prints
/// it on stderr as `propcast: <message>` and exits with `status`.
struct CommandFailure: Error, CustomStringConvertible {
    let status: ExitStatus
    let description: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.description = message
    }
}

extension ExitStatus {
    /// The argument-parser error that ends the command with this status (nothing printed).
    var exit: ExitCode { ExitCode(rawValue) }
}

/// Writes one line to stderr.
func printToStderr(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes one line to stdout immediately (unbuffered), for lines other programs wait for.
func printFlushed(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
