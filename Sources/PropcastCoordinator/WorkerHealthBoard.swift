/// What the coordinator knows about each worker's reachability, for the "no worker"
/// error and the summary.
actor WorkerHealthBoard {
    private(set) var lastError: [String: String] = [:]
    /// Once the batch is over, connection teardown is not a worker problem.
    private var frozen = false
    private(set) var refusedWorkers: [String: String] = [:]
    private(set) var everConnected: Set<String> = []
    private(set) var attempted: Set<String> = []

    func connected(_ worker: String) {
        everConnected.insert(worker)
        attempted.insert(worker)
        lastError.removeValue(forKey: worker)
    }

    /// Stops recording failures (the batch is over and links are being cancelled).
    func freeze() { frozen = true }

    func failed(_ worker: String, reason: String) {
        guard !frozen else { return }
        attempted.insert(worker)
        lastError[worker] = reason
    }

    func refused(_ worker: String, reason: String) {
        attempted.insert(worker)
        refusedWorkers[worker] = reason
        lastError[worker] = reason
    }

    func isRefused(_ worker: String) -> Bool { refusedWorkers[worker] != nil }

    /// Why `worker` is refused for this batch, if it is.
    func refusal(of worker: String) -> String? { refusedWorkers[worker] }
}
