import Foundation
import PropcastTestSupport
import Testing

/// A client written only from Protocols/ (Tests/ThirdParty/journal_ids.py, Python) must derive
/// the same input fingerprints and prediction ids as Propcast, row for row.
@Suite(.realProcesses) struct ThirdPartyContractTests {
    @Test func pythonClientFromTheDocsDerivesEveryFingerprintAndID() async throws {
        let directory = try TemporaryDirectory(prefix: "third-party")
        defer { directory.remove() }
        let cases = RepositoryPaths.shared("parity/cases.json")
        let predicted = try await TestProcess.run(try PropcastExecutable.path(), [
            "predict", "--input", cases, "--json", "--models", RepositoryPaths.ops("models"),
        ], timeout: .seconds(120))
        try #require(predicted.status == 0, "\(predicted.stderr)")
        let output = directory.file("predictions.jsonl")
        try predicted.stdout.write(toFile: output, atomically: true, encoding: .utf8)
        let check = try await TestProcess.run("/usr/bin/env", [
            "python3", "\(RepositoryPaths.root)/Tests/ThirdParty/journal_ids.py", cases, output,
        ], timeout: .seconds(120))
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("checked 3379 rows, 0 mismatches"), "\(check.stdout)")
    }
}
