import Synchronization

/// The worker-wide limit on predictions running at once, shared by every connection.
/// Each connection also limits itself to `slots` unanswered requests (the coordinator's
/// credits); this limit holds across all of them, so two coordinators cannot together run
/// more than `slots` predictions. A request that finds no free slot is answered
/// `PredictRejected(CODE_BUSY)` at once, never queued.
public final class WorkerSlots: Sendable {
    /// How many predictions may run at once.
    public let capacity: Int
    private let used = Mutex(0)

    /// Creates a pool of `capacity` slots (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Takes a slot if one is free; returns false when all are in use.
    public func tryAcquire() -> Bool {
        used.withLock { used in
            guard used < capacity else { return false }
            used += 1
            return true
        }
    }

    /// Gives back a slot taken by ``tryAcquire()``.
    public func release() {
        used.withLock { used in used = max(0, used - 1) }
    }

    /// Slots in use now.
    public var inUse: Int { used.withLock { $0 } }
}
