import Foundation
import PropcastCoordinator
import PropcastTestSupport
import Testing

/// Every command ends with one of README's exit statuses: argument errors are usage errors
/// (2, with the parser's message and usage line), not EX_USAGE (64).
@Suite(.realProcesses) struct ExitStatusTests {
    @Test func argumentErrorsExitWithTheUsageStatusAndSayWhatIsWrong() async throws {
        let binary = try PropcastExecutable.path()
        let unknownOption = try await SpawnedProcess.run(binary, ["batch", "run", "--date", "2025-01-15", "--cert", "c",
                                                                  "--key", "k", "--ca", "a", "--bogus"])
        #expect(unknownOption.status == ExitStatus.usage.rawValue)
        #expect(unknownOption.stderr.contains("Unknown option '--bogus'"), "\(unknownOption.stderr)")
        #expect(unknownOption.stderr.contains("Usage: propcast batch run"), "\(unknownOption.stderr)")
        let unknownCommand = try await SpawnedProcess.run(binary, ["frobnicate"])
        #expect(unknownCommand.status == 2)
        let badValue = try await SpawnedProcess.run(binary, ["journal", "tail", "--date", "2025-01-15", "-n", "many"])
        #expect(badValue.status == 2, "\(badValue.stderr)")
        let longHeartbeat = try await SpawnedProcess.run(binary, ["batch", "run", "--date", "2025-01-15", "--workers",
                                                                  "127.0.0.1:1", "--cert", "c", "--key", "k", "--ca", "a",
                                                                  "--heartbeat", "6m"])
        #expect(longHeartbeat.status == 2, "\(longHeartbeat.stderr)")
        #expect(longHeartbeat.stderr.contains("--heartbeat 6m must be between 1ms and 5m"), "\(longHeartbeat.stderr)")
        let help = try await SpawnedProcess.run(binary, ["batch", "run", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: propcast batch run"))
    }

    @Test func everyTimeOptionTakesTheOneDurationFormat() async throws {
        let binary = try PropcastExecutable.path()
        for (arguments, option) in [
            (["journal", "tail", "--date", "2025-01-15", "-f", "--poll-interval", "soon"], "--poll-interval"),
            (["ping", "127.0.0.1:1", "--cert", "c", "--key", "k", "--ca", "a", "--timeout", "10x"], "--timeout"),
            (["ping", "127.0.0.1:1", "--cert", "c", "--key", "k", "--ca", "a", "--handshake-timeout", "99999999h"],
             "--handshake-timeout"),
            (["worker", "--cert", "c", "--key", "k", "--ca", "a", "--drain-timeout", "-1s"], "--drain-timeout"),
            (["batch", "run", "--date", "2025-01-15", "--cert", "c", "--key", "k", "--ca", "a", "--wait", "1e400"], "--wait"),
        ] {
            let result = try await SpawnedProcess.run(binary, arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(option), "\(arguments): \(result.stderr)")
        }
    }

    @Test func aPingSaysTheDefaultedPortAndWhyTheWorkerIsUnreachable() async throws {
        let certificates = try await TestCertificates.make(hosts: ["127.0.0.1"], prefix: "ping-certs")
        defer { try? FileManager.default.removeItem(atPath: certificates.directory) }
        let ping = try await SpawnedProcess.run(try PropcastExecutable.path(), [
            "ping", "127.0.0.1", "--cert", certificates.coordinatorCert, "--key", certificates.coordinatorKey,
            "--ca", certificates.ca, "--timeout", "2s",
        ])
        // Nothing listens on 7420 here (the tests' workers take ports the system assigns).
        #expect(ping.status == ExitStatus.noWorker.rawValue, "\(ping.stderr)")
        #expect(ping.stderr.contains("worker 127.0.0.1 → 127.0.0.1:7420 (the default port)"), "\(ping.stderr)")
        #expect(ping.stderr.contains("unreachable: connection refused (nothing listens on 127.0.0.1:7420"), "\(ping.stderr)")
    }

    @Test func theStatusesAreTheDocumentedOnes() {
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 2, 3, 4, 5, 6, 7, 130, 143])
        #expect(ExitStatus(stoppedBy: "SIGINT") == .interrupted && ExitStatus(stoppedBy: "SIGTERM") == .terminated)
    }
}
