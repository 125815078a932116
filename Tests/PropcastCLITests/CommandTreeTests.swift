import Foundation
import ArgumentParser
import PropcastTestSupport
import Testing
@testable import propcast

/// Every command, found by walking the command tree: its `--help` ends with examples, and
/// every command that runs takes `--log-level` and `--log-format`.
@Suite struct CommandTreeTests {
    /// (words after `propcast`, type) for every command and subcommand.
    static func commands(_ type: any ParsableCommand.Type = Propcast.self,
                         path: [String] = []) -> [(path: [String], type: any ParsableCommand.Type)] {
        [(path, type)] + type.configuration.subcommands.flatMap { commands($0, path: path + [$0._commandName]) }
    }

    @Test func everyCommandHasOneOrTwoExamplesThatStartWithPropcast() {
        for (path, type) in Self.commands() {
            let examples = (type as? any CommandExamples.Type)?.examples ?? []
            #expect((1...2).contains(examples.count), "propcast \(path.joined(separator: " ")) has \(examples.count) examples")
            #expect(examples.allSatisfy { $0.contains("propcast ") }, "\(path)")
            #expect(ObjectIdentifier(Propcast.command(named: path + ["--help"])) == ObjectIdentifier(type),
                    "\(path) resolves to another command")
        }
    }

    @Test func everyLeafCommandTakesTheLoggingOptions() {
        for (path, type) in Self.commands() where type.configuration.subcommands.isEmpty {
            #expect(type is any LoggingCommand.Type, "propcast \(path.joined(separator: " ")) has no --log-level")
            let help = type.helpMessage(columns: 200)
            #expect(help.contains("--log-level") && help.contains("--log-format"), "\(path)")
        }
    }

    @Test func helpFromTheBinaryEndsWithTheExamples() async throws {
        for path in [["batch", "run"], ["journal", "verify"], [], ["store", "seed"]] {
            let result = try await SpawnedProcess.run(try PropcastExecutable.path(), path + ["--help"])
            #expect(result.status == 0)
            let lines = result.stdout.split(separator: "\n")
            let heading = try #require(lines.lastIndex(of: "EXAMPLES:"), "\(path): \(result.stdout)")
            #expect((1...2).contains(lines.count - heading - 1), "\(path)")
            #expect(lines[(heading + 1)...].allSatisfy { $0.hasPrefix("  propcast ") || $0.hasPrefix("  Ops/") }, "\(path)")
        }
    }
}

/// The one duration format of every time option.
@Suite struct DurationArgumentTests {
    @Test(arguments: [("500ms", Duration.milliseconds(500)), ("30s", .seconds(30)), ("30m", .seconds(1800)),
                      ("1h", .seconds(3600)), ("90", .seconds(90)), ("0s", .zero), ("1.5s", .milliseconds(1500)),
                      ("2h", .seconds(7200))])
    func acceptsEachUnit(_ text: String, _ expected: Duration) throws {
        let argument = try #require(DurationArgument(argument: text))
        #expect(argument.duration == expected)
        #expect(argument.description == text)
    }

    @Test(arguments: ["", "s", "ms", "-1s", "10x", "1d", "5 s", "abc", "367d", "9000h", "1e9s"])
    func rejectsAnythingElse(_ text: String) {
        #expect(DurationArgument(argument: text) == nil, "\(text)")
    }

    @Test func aBadTimeOptionExitsTwoNamingIt() async throws {
        let result = try await SpawnedProcess.run(try PropcastExecutable.path(),
                                                  ["journal", "tail", "--poll-interval", "fast", "--journal-dir", "/nonexistent"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--poll-interval"), "\(result.stderr)")
    }
}

/// README's CLI reference lists every command the binary has, with its abstract and first example.
@Suite struct READMEReferenceTests {
    @Test func theCLIReferenceHasARowForEveryCommand() throws {
        let readme = try String(contentsOfFile: RepositoryPaths.root + "/README.md", encoding: .utf8)
        for (path, type) in CommandTreeTests.commands()
        where type.configuration.subcommands.isEmpty && type.configuration.shouldDisplay {
            let abstract = type.configuration.abstract
            let sentence = String(abstract.split(separator: ". ").first ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "."))
            let example = (type as? any CommandExamples.Type)?.examples.first ?? ""
            let row = "| `propcast \(path.joined(separator: " "))` | \(sentence) | `\(example)` |"
            let listed = readme.contains(row)
            #expect(listed, "README lacks: \(row)")
        }
    }
}
