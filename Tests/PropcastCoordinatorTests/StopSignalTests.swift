import Foundation
import Glibc
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastWire
import PropcastTestSupport
import Testing

/// A stop (SIGINT/SIGTERM in the CLI) ends the run with what has arrived journaled and a
/// journal that verifies and reopens — however many answers are in flight.
@Suite(.serialized, .realProcesses) struct StopSignalTests {
    @Test func stopWithManyAnswersInFlightLeavesAConsistentJournal() async throws {
        let pool = try await PoolHarness()
        let slow = TamperingExecutor(honest: pool.honest) { _, _ in usleep(15_000) }
        try await pool.startWorker(slow, slots: 8)
        try await pool.startWorker(slow, slots: 8)
        let stop = BatchStopSignal()
        let stopper = Task {
            // Stop once answers are flowing (the journal holds some predictions).
            while (try? pool.journal().index.currentIDs.count) ?? 0 < 40 { try await Task.sleep(for: .milliseconds(5)) }
            await stop.trigger("SIGTERM")
        }
        let report = try await pool.runBatch(stop: stop)
        _ = try await stopper.value
        #expect(report.outcome == "interrupted")
        let contents = try pool.journal()
        guard case .clean = contents.verdict else { Issue.record("journal does not verify: \(contents.verdict)"); return }
        let finished = try #require(contents.index.lastBatchFinished)
        #expect(finished.seq == contents.index.recordCount, "batch_finished is the last record")
        #expect(finished.record.outcome == "interrupted")
        #expect(finished.record.predictions == contents.index.currentIDs.count)
        #expect(contents.index.failedPlayers.isEmpty, "interrupted players are not failed")
        // The journal reopens, and a second run completes exactly the reference rows.
        let again = try await pool.runBatch()
        #expect(again.outcome == "finished")
        let journaled = try pool.journaledRows()
        for (player, expected) in try pool.referenceRows() { #expect((journaled[player] ?? []) == expected) }
        await pool.stop()
    }

    @Test func stopWhileConnectingEndsAtOnceWithNothingWritten() async throws {
        let pool = try await PoolHarness()
        // A listener that never completes a TLS handshake: the run waits for a worker until the stop.
        let silent = try SilentListener()
        defer { silent.close() }
        pool.addUnreachableWorker(port: silent.port)
        let stop = BatchStopSignal()
        Task {
            try await Task.sleep(for: .milliseconds(300))
            await stop.trigger("SIGINT")
        }
        let started = ContinuousClock.now
        do {
            _ = try await pool.runBatch(connectGracePeriod: .seconds(300), stop: stop)
            Issue.record("a stopped run returned a report")
        } catch let error as BatchError {
            #expect(error.exitStatus == .interrupted)
            #expect(error.description.contains("stopped by SIGINT while connecting"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(120), "long before the 300 s connect grace period")
        #expect(try pool.journal().index.recordCount == 0)
        await pool.stop()
    }
}

/// A TCP socket on 127.0.0.1 that listens and never accepts: connections complete in the
/// kernel, and a TLS ClientHello is never answered.
struct SilentListener {
    let fd: Int32
    let port: Int

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, size) }
        }
        guard bound == 0, listen(socketFD, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = size
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        fd = socketFD
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
}
