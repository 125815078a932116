import Foundation
import PropcastTestSupport
import Testing

/// `propcast demo` from an empty directory, twice, and interrupted.
@Suite(.serialized, .realProcesses) struct DemoIntegrationTests {
    /// The worker pids the demo printed (`worker HOST:PORT started (pid N)`).
    func workerPIDs(_ output: String) -> [Int32] {
        output.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("worker "), let range = line.range(of: "(pid ") else { return nil }
            return Int32(line[range.upperBound...].dropLast())
        }
    }

    /// Whether `pid` still runs: it exists and is not a zombie (a worker that exited after the
    /// demo did is reaped by whoever adopted it, which on a container's minimal init can be never).
    func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let state = stat.split(separator: ")").last?.split(separator: " ").first
        return state != "Z"
    }

    @Test func demoRunsFromAnEmptyDirectoryAndTheSecondRunHasNothingNewToDo() async throws {
        let directory = try TemporaryDirectory(prefix: "demo")
        defer { directory.remove() }
        let binary = try PropcastExecutable.path()
        let first = try await TestProcess.run(binary, ["demo", "--dir", directory.file("demo")], timeout: .seconds(180),
                                              workingDirectory: directory.path)
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        // 4 of the 207 players scheduled on 2025-01-15 have features below quality 70: skipped, not covered.
        #expect(first.stdout.contains("98.1% coverage (203/207 players covered)"), "\(first.stdout)")
        #expect(first.stdout.contains("players skipped (not covered)        4"), "\(first.stdout)")
        #expect(first.stdout.contains("journal verify --date 2025-01-15"))
        let firstPIDs = workerPIDs(first.stdout)
        #expect(firstPIDs.count == 2)
        #expect(firstPIDs.allSatisfy { !isAlive($0) }, "workers left behind")

        let second = try await TestProcess.run(binary, ["demo", "--dir", directory.file("demo")], timeout: .seconds(180),
                                               workingDirectory: directory.path)
        #expect(second.status == 0, "\(second.stderr)")
        let written = second.stdout.split(separator: "\n").first { $0.contains("predictions written") }
        #expect(written?.split(separator: " ").last == "0", "\(second.stdout)")
        #expect(workerPIDs(second.stdout).allSatisfy { !isAlive($0) })
    }

    @Test func interruptedDemoLeavesNoWorkerBehind() async throws {
        let directory = try TemporaryDirectory(prefix: "demo-int")
        defer { directory.remove() }
        // Slow workers keep the batch running long enough to interrupt it (13 s uninterrupted:
        // on a loaded machine the interrupt may arrive seconds after the workers started).
        let demo = try TestProcess(try PropcastExecutable.path(), ["demo", "--dir", directory.file("demo"),
                                                                   "--worker-latency", "250ms"],
                                   workingDirectory: directory.path)
        try await demo.waitUntil(timeout: .seconds(120), "both workers started") { out, _ in
            String(decoding: out, as: UTF8.self).components(separatedBy: "started (pid").count == 3
        }
        let pids = workerPIDs(demo.stdout)
        demo.signal(SIGINT)
        let status = try await demo.waitForExit(timeout: .seconds(30))
        #expect(status == 128 + SIGINT, "\(demo.stderr)")
        #expect(pids.count == 2)
        #expect(pids.allSatisfy { !isAlive($0) }, "workers left behind after Ctrl-C")
    }
}
