import Foundation
import ArgumentParser
import PropcastTLS

/// `--cert/--key/--ca`, shared by every command that speaks to the pool.
struct TLSOptions: ParsableArguments {
    @Option(help: "PEM certificate of this node (made by Ops/certs.sh).")
    var cert: String

    @Option(help: "PEM private key matching --cert.")
    var key: String

    @Option(help: "PEM certificate of the pool CA.")
    var ca: String

    @Option(help: "TLS handshake timeout in seconds.")
    var handshakeTimeout: Double = 10

    /// Loads the context for `role`, or exits 2 with the error's explanation.
    func makeContext(role: PeerRole) throws -> TLSContext {
        let configuration = TLSConfiguration(certificatePath: cert, privateKeyPath: key, trustRootsPath: ca, role: role,
                                             handshakeTimeout: .milliseconds(Int64(handshakeTimeout * 1000)))
        do {
            return try TLSContext(configuration: configuration)
        } catch {
            throw CommandFailure(exitCode: 2, "\(error)")
        }
    }
}

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
        printError("propcast: \(failure.description)")
        throw ExitCode(failure.exitCode)
    }
}

/// Writes one line to stderr.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes one line to stdout immediately (unbuffered), for lines other programs wait for.
func printFlushed(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
