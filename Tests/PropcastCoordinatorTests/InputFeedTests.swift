import GRDB
@testable import PropcastCoordinator
import PropcastModels
import PropcastStore
import PropcastTestSupport
import Testing

/// The store read on a thread of its own, a chunk ahead of the batch: every chunk in order,
/// the read snapshot held while the batch still takes chunks, and released at once when the
/// batch stops taking them.
@Suite struct InputFeedTests {
    /// The scenarios' seeded store in a directory of its own, and a date with players.
    func store() throws -> (TemporaryDirectory, String, GameDate) {
        let directory = try TemporaryDirectory(prefix: "feed")
        let (path, date) = try ScenarioStore.seed(in: directory)
        return (directory, path, date)
    }

    /// Tries one write with a short busy timeout: false while a reader holds the snapshot.
    func canWrite(_ path: String) -> Bool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(0.05)
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return false }
        defer { try? queue.close() }
        return (try? queue.write { try $0.execute(sql: "UPDATE ml_feature_store_v2 SET data_source = data_source") }) != nil
    }

    @Test func deliversEveryChunkInOrderAndHoldsTheSnapshotUntilTheLast() async throws {
        let (directory, path, date) = try store()
        defer { directory.remove() }
        let whole = try FeatureStore(path: path).loadInputs(on: date).inputs
        let feed = InputFeed(store: try FeatureStore(path: path), date: date, chunkSize: 3)
        var received: [PlayerInput] = []
        var writableMidway: Bool?
        for try await chunk in feed.chunks {
            received += chunk.inputs
            if writableMidway == nil { writableMidway = canWrite(path) }
            feed.taken()
        }
        feed.cancel()
        #expect(received == whole)
        #expect(writableMidway == false, "the read transaction is one snapshot for the whole date")
        #expect(canWrite(path), "and it ends with the last chunk")
    }

    @Test func cancellingEndsTheReadAtOnce() async throws {
        let (directory, path, date) = try store()
        defer { directory.remove() }
        let feed = InputFeed(store: try FeatureStore(path: path), date: date, chunkSize: 2)
        var iterator = feed.chunks.makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first?.inputs.count == 2)
        #expect(!canWrite(path))
        feed.cancel()  // the thread is waiting for the next chunk to be taken
        var ended = false
        for _ in 0..<200 where !ended {
            ended = canWrite(path)
            if !ended { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(ended, "the reader let go of the store")
        var rest = 0
        while try await iterator.next() != nil { rest += 1 }
        #expect(rest <= 1, "at most the chunk already handed over remains")
    }
}
