extension BatchStateMachine {
    /// Limits and timers of a batch.
    public struct Configuration: Sendable {
        /// Attempts per player before it is journaled as failed (at least 1).
        public var maxAttempts: Int
        /// How long a worker has to answer one request (the requests of a frame are sent and
        /// answered together: in effect the time for a frame).
        public var requestTimeout: Duration
        /// How long a worker that said BUSY gets no new work (unless it answers first).
        public var busyPause: Duration
        /// How long the batch waits without any worker before giving up (and, before the
        /// first worker, before reporting that none is reachable).
        public var noWorkerGrace: Duration
        /// Invalid answers after which a worker is refused for the rest of the batch.
        public var maxInvalidAnswersPerWorker: Int
        /// Most players sent in one frame (a worker may announce fewer). Default 32: a frame
        /// is then about 60 KiB and 1–2 ms of a worker core.
        public var maxPlayersPerFrame: Int
        /// Most answers received and not yet journaled; beyond it nothing new is sent until
        /// the journal catches up (workers faster than the coordinator's checks and journal
        /// would otherwise pile answers up in memory). Default 512.
        public var maxAnswersPending: Int
        /// Rounds of every connected slot that the batch's players are spread over when a
        /// frame is sized. Default 4.
        public var roundsPerSlot: Int
        /// The batch's first request id. Batches that share connections (a ``WorkerPool``)
        /// start at their number times 2³², so an answer's id names the batch that asked.
        public var firstRequestID: UInt64 = 1

        /// Creates a configuration; see the property docs.
        public init(maxAttempts: Int = 3, requestTimeout: Duration = .seconds(30), busyPause: Duration = .milliseconds(100),
                    noWorkerGrace: Duration = .seconds(15), maxInvalidAnswersPerWorker: Int = 2,
                    maxPlayersPerFrame: Int = 32, maxAnswersPending: Int = 512, roundsPerSlot: Int = 4) {
            self.roundsPerSlot = max(1, roundsPerSlot)
            self.maxPlayersPerFrame = max(1, maxPlayersPerFrame)
            self.maxAnswersPending = max(1, maxAnswersPending)
            self.maxAttempts = max(1, maxAttempts)
            self.requestTimeout = requestTimeout
            self.busyPause = busyPause
            self.noWorkerGrace = noWorkerGrace
            self.maxInvalidAnswersPerWorker = max(1, maxInvalidAnswersPerWorker)
        }
    }
}
