import Dispatch
import Foundation
import PropcastModels
import PropcastStore
import Synchronization

/// A date's inputs read from the store on a thread of its own, a chunk at a time and no
/// further ahead than the batch takes them: the thread parses the next chunk, then waits
/// (blocking, off the cooperative pool) until the one before was taken with ``taken()``.
/// The store's read transaction stays open until the last chunk or ``cancel()``.
final class InputFeed: Sendable {
    /// The chunks, in player order; the stream ends after the last one or throws the
    /// store's error.
    let chunks: AsyncThrowingStream<FeatureStore.LoadedInputs, any Error>
    /// Signalled once per chunk taken (and on cancel). Created at 0: libdispatch traps when a
    /// semaphore is freed below its initial value, which a feed stopped early would be.
    private let permits = DispatchSemaphore(value: 0)
    private let cancelledFlag = CancelFlag()

    /// Set once reading must stop (a class, so the stream's termination handler can share it).
    private final class CancelFlag: Sendable {
        let flag = Atomic<Bool>(false)
    }

    /// Starts reading `date`'s inputs from `store` in chunks of `chunkSize` players.
    init(store: FeatureStore, date: GameDate, chunkSize: Int) {
        let (chunks, continuation) = AsyncThrowingStream.makeStream(of: FeatureStore.LoadedInputs.self)
        self.chunks = chunks
        let cancelled = self.cancelledFlag
        let permits = self.permits
        // The consumer went away (its task was cancelled, or it stopped iterating): stop reading.
        continuation.onTermination = { _ in
            cancelled.flag.store(true, ordering: .releasing)
            permits.signal()
        }
        let thread = Thread { [self] in
            do {
                var handedOver = 0
                try store.forEachInputChunk(on: date, chunkSize: chunkSize) { chunk in
                    // The first chunk goes at once; each later one once the one before was taken.
                    if handedOver > 0 { permits.wait() }
                    guard !cancelledFlag.flag.load(ordering: .acquiring) else { return false }
                    handedOver += 1
                    continuation.yield(chunk)
                    return true
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "propcast-input-feed"
        thread.start()
    }

    /// The consumer took a chunk: the thread may hand over the next one.
    func taken() {
        permits.signal()
    }

    /// Stops reading (the thread ends and the read transaction closes).
    func cancel() {
        cancelledFlag.flag.store(true, ordering: .releasing)
        permits.signal()
    }
}
