/// A request to stop a running batch (SIGINT or SIGTERM): the runner stops dispatching,
/// journals the answers that have arrived, writes `batch_finished` with outcome
/// `interrupted` and returns its report. Safe to trigger from any task or signal handler.
public actor BatchStopSignal {
    private var reason: String?
    private var waiters: [Int: CheckedContinuation<String?, Never>] = [:]
    private var nextWaiter = 0

    /// A signal nobody has triggered yet.
    public init() {}

    /// Asks the batch to stop; `reason` names what asked (e.g. `SIGTERM`). Later calls are ignored.
    public func trigger(_ reason: String) {
        guard self.reason == nil else { return }
        self.reason = reason
        let waiting = waiters
        waiters = [:]
        for waiter in waiting.values { waiter.resume(returning: reason) }
    }

    /// Why the batch was asked to stop, or nil.
    public var stopReason: String? { reason }

    /// Suspends until the signal is triggered (its reason) or the task is cancelled (nil).
    func wait() async -> String? {
        if let reason { return reason }
        let id = nextWaiter
        nextWaiter += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if let reason { continuation.resume(returning: reason) } else if Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWait(id) }
        }
    }

    private func cancelWait(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume(returning: nil)
    }
}
