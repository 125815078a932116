import PropcastTestSupport
import Testing

/// One style of interface: the same option names and defaults wherever they appear.
@Suite struct CommandInterfaceTests {
    func help(_ command: [String]) async throws -> String {
        let result = try await SpawnedProcess.run(try PropcastExecutable.path(), command + ["--help"])
        #expect(result.status == 0, "\(command): \(result.stderr)")
        // Joined so wrapped help lines read as one.
        return result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    @Test func everyCommandThatLoadsModelsHasTheOneDefault() async throws {
        for command in [["worker"], ["predict"], ["grade"], ["bench", "engine"], ["bench", "batch"]] {
            let text = try await help(command)
            #expect(text.contains("--models <dir>"), "\(command)")
            #expect(text.contains("(default: /usr/local/share/propcast/models if it exists, else Ops/models)"), "\(command): \(text)")
        }
    }

    @Test func theStoreIsStoreEverywhere() async throws {
        for command in [["batch", "run"], ["batch", "retry"], ["batch", "status"], ["predict"], ["grade"],
                        ["store", "seed"], ["store", "info"]] {
            let text = try await help(command)
            #expect(text.contains("--store <"), "\(command)")
            #expect(!text.contains("--path"), "\(command)")
        }
    }
}
