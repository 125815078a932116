import Foundation
import PropcastTestSupport
import Testing

/// Every `--json` output speaks like the journal: snake_case keys, slashes unescaped.
@Suite(.realProcesses) struct JSONOutputTests {
    /// Every key of a parsed JSON value, at any depth.
    func keys(_ value: Any) -> Set<String> {
        if let object = value as? [String: Any] {
            return object.reduce(into: Set(object.keys)) { $0.formUnion(keys($1.value)) }
        }
        if let array = value as? [Any] { return array.reduce(into: Set()) { $0.formUnion(keys($1)) } }
        return []
    }

    func expectJournalStyle(_ text: String, _ label: String) throws {
        #expect(!text.contains("\\/"), "\(label): escaped slash")
        let lines = text.hasPrefix("{\n") ? [Substring(text)] : text.split(separator: "\n")
        for line in lines {
            let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
            let bad = keys(value).filter { key in key.contains { $0.isUppercase } }
            // Extras and per-system maps are keyed by system id, which are snake_case too.
            #expect(bad.isEmpty, "\(label): keys \(bad.sorted())")
        }
    }

    @Test func predictGradeAndStatusJSONAreSnakeCaseWithPlainSlashes() async throws {
        let store = try await SeededStore.shared.path()
        let binary = try PropcastExecutable.path()
        let predict = try await SpawnedProcess.run(binary, ["predict", "--store", store, "--date", SeededStore.date,
                                                            "--json", "--models", RepositoryPaths.ops("models")])
        #expect(predict.status == 0, "\(predict.stderr)")
        try expectJournalStyle(predict.stdout, "predict")
        let grade = try await SpawnedProcess.run(binary, ["grade", "--store", store, "--from", "2024-12-01", "--to", "2024-12-02",
                                                          "--json", "--models", RepositoryPaths.ops("models")])
        #expect(grade.status == 0, "\(grade.stderr)")
        try expectJournalStyle(grade.stdout, "grade")
        let directory = try TemporaryDirectory(prefix: "json")
        defer { directory.remove() }
        let status = try await SpawnedProcess.run(binary, ["batch", "status", "--date", SeededStore.date, "--store", store,
                                                           "--journal-dir", directory.path, "--json"])
        #expect(status.status == 3, "nothing journaled yet: the SLA is broken — \(status.stderr)")
        #expect(status.stdout.contains("\"journal_path\":\"\(directory.path)/"), "\(status.stdout.prefix(300))")
        try expectJournalStyle(status.stdout, "batch status")
    }
}
