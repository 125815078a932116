import PropcastWire
import PropcastWorker
import Synchronization

/// A test double for the engine whose requests stay running until the test releases them,
/// so tests can hold slots busy deterministically. Announces each request as it starts.
final class HeldExecutor: PredictionExecutor {
    let modelVersions: [WireModelVersion] = []
    /// Request ids, in the order their execution started.
    let started: AsyncStream<UInt64>
    private let startedContinuation: AsyncStream<UInt64>.Continuation
    private let held = Mutex<[UInt64: CheckedContinuation<Void, Never>]>([:])

    init() {
        (started, startedContinuation) = AsyncStream.makeStream(of: UInt64.self)
    }

    func execute(_ request: WirePredictRequest) async -> Envelope {
        await withCheckedContinuation { continuation in
            held.withLock { $0[request.requestID] = continuation }
            startedContinuation.yield(request.requestID)
        }
        var result = WirePredictResult()
        result.requestID = request.requestID
        return Envelope(.predictResult(result))
    }

    /// Lets a started request finish.
    func release(_ requestID: UInt64) {
        held.withLock { $0.removeValue(forKey: requestID) }?.resume()
    }

    /// Waits until `count` more requests have started; returns their ids.
    func waitForStarts(_ count: Int) async throws -> [UInt64] {
        var ids: [UInt64] = []
        for await id in started {
            ids.append(id)
            if ids.count == count { return ids }
        }
        throw WorkerTestError("the executor's start stream ended after \(ids)")
    }
}

/// A failure in a worker test's own scaffolding.
struct WorkerTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`, failing with a clear error if it takes longer than `timeout`.
func withDeadline<T: Sendable>(_ timeout: Duration, _ what: String,
                               _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw WorkerTestError("timed out after \(timeout) waiting for \(what)")
        }
        return value
    }
}
