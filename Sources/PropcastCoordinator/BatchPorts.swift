import NIOCore
import PropcastJournal
import PropcastWire

/// Where the batch sends one worker's frames: the connection's writer in production, a
/// recorder in scenario tests.
public protocol WorkerOutbound: Sendable {
    /// Sends one frame; throws when the connection is gone.
    func send(_ envelope: Envelope) async throws
    /// Sends `goodbye` and closes the sending side, without waiting for a worker that
    /// stopped reading.
    func close(with goodbye: Envelope)
}

/// The journal a batch writes to: ``JournalWriter`` in production, an in-memory journal in
/// scenario tests.
public protocol BatchJournal: Sendable {
    /// Appends records and returns once they are durable, one outcome per record.
    func append(_ entries: [JournalEntry]) async throws -> [AppendOutcome]
    /// Appends independent groups together (one sync); an invalid group is refused on its
    /// own. One result per group.
    func append(groups: [[JournalEntry]]) async -> [Result<[AppendOutcome], any Error>]
}

extension JournalWriter: BatchJournal {}

/// A worker connection's writer as a ``WorkerOutbound``.
struct ChannelOutbound: WorkerOutbound {
    let writer: NIOAsyncChannelOutboundWriter<Envelope>

    func send(_ envelope: Envelope) async throws {
        try await writer.write(envelope)
    }

    func close(with goodbye: Envelope) {
        let writer = self.writer
        Task {
            try? await writer.write(goodbye)
            writer.finish()
        }
    }
}
