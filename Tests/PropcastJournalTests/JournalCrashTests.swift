import Foundation
import Glibc
import PropcastJournal
import PropcastModels
import PropcastTestSupport
import Testing

/// Real `propcast` processes: killed writers and competing writers.
@Suite(.realProcesses) struct JournalCrashTests {
    private let date = JournalFixtures.date
    private static let recordsPerChild = 400

    @Test func sigkillAtRandomMomentsLosesNoAcknowledgedRecord() async throws {
        let binary = try PropcastExecutable.path()
        let directory = try TemporaryDirectory(prefix: "journal-crash")
        defer { directory.remove() }
        let path = JournalDirectory(directory.path).journalPath(for: date)
        var acknowledged = Set<UInt64>()
        var acknowledgedByChildren = 0
        for trial in 0..<20 {
            // A bounded child: one that outran a slow reader would otherwise grow the journal
            // without end, and every reopen below reads the whole file.
            let child = try SpawnedProcess(executable: binary, arguments: [
                "journal", "stress-append", "--dir", directory.path, "--date", "\(date)", "--appenders", "4",
                "--count", "\(Self.recordsPerChild)",
            ])
            // A random moment: after a random number of acknowledgements (0 = while it is starting up).
            let target = Int.random(in: 0...120)
            let beforeKill = try await child.nextLines(target)
            child.send(SIGKILL)
            let status = try await child.waitForExit()
            let stillInThePipe = try await child.unreadLines()  // acknowledged before it died
            for line in beforeKill + stillInThePipe {
                acknowledged.insert(try #require(UInt64(line), "child printed '\(line)'"))
                acknowledgedByChildren += 1
            }
            let finished = status == 0 && beforeKill.count + stillInThePipe.count == Self.recordsPerChild
            #expect(status == SIGKILL || finished, "trial \(trial): child exited \(status) without finishing")

            let writer = try await JournalWriter.open(directory: directory.path, date: date)
            let contents = try JournalReader.read(path: path, date: date)
            guard case .clean(let position) = contents.verdict else {
                Issue.record("trial \(trial): \(contents.verdict)"); await writer.close(); return
            }
            let present = Set(contents.records.map(\.seq))
            #expect(acknowledged.isSubset(of: present), "trial \(trial): lost \(acknowledged.subtracting(present).sorted().prefix(5))")
            let next = try await writer.append(.playerSkipped(.init(player: PlayerLookup("after-\(trial)"), reasons: ["crash test"])))
            #expect(next == .written(seq: position.lastSeq + 1), "trial \(trial)")
            acknowledged.insert(position.lastSeq + 1)
            await writer.close()
        }
        #expect(acknowledgedByChildren > 0, "the children acknowledged nothing")
    }

    @Test func secondWriterForTheSameDateFailsNamingTheRunningPid() async throws {
        let binary = try PropcastExecutable.path()
        let directory = try TemporaryDirectory(prefix: "journal-lock")
        defer { directory.remove() }
        let holder = try SpawnedProcess(executable: binary, arguments: [
            "journal", "stress-append", "--dir", directory.path, "--date", "\(date)", "--hold",
        ])
        #expect(try await holder.nextLine() == "ready \(holder.pid)")

        do {
            _ = try await JournalWriter.open(directory: directory.path, date: date)
            Issue.record("a second writer opened \(date)")
        } catch let error as JournalError {
            guard case .locked(let lockedDate, let pid, _) = error else { Issue.record("\(error)"); return }
            #expect(lockedDate == date)
            #expect(pid == holder.pid)
            #expect(error.description.hasPrefix("batch for 2025-01-15 already running (pid \(holder.pid))"))
        }

        let second = try await SpawnedProcess.run(binary, ["journal", "stress-append", "--dir", directory.path,
                                                   "--date", "\(date)", "--count", "1"])
        #expect(second.status == 6, "the date's lock is held: already running")
        #expect(second.stderr.contains("batch for 2025-01-15 already running (pid \(holder.pid))"), "\(second.stderr)")

        try holder.closeStandardInput()
        #expect(try await holder.waitForExit() == 0)
        let writer = try await JournalWriter.open(directory: directory.path, date: date)
        await writer.close()
    }

    @Test func aSecondWriterInTheSameProcessIsRefusedToo() async throws {
        let directory = try TemporaryDirectory(prefix: "journal-lock")
        defer { directory.remove() }
        let first = try await JournalWriter.open(directory: directory.path, date: date)
        await #expect {
            try await JournalWriter.open(directory: directory.path, date: date)
        } throws: { error in
            guard case JournalError.locked(_, let pid, _) = error else { return false }
            return pid == getpid()
        }
        let otherDate = try await JournalWriter.open(directory: directory.path, date: date.adding(days: 1))
        await otherDate.close()
        await first.close()
    }
}
