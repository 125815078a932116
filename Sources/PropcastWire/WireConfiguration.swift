/// Limits and timers of the framed protocol, with documented defaults.
public struct WireConfiguration: Sendable {
    /// Heartbeat intervals a peer may stay silent before its connection is closed.
    public static let missedHeartbeats = 3
    /// The longest heartbeat interval a coordinator may announce: 5 min, whose three intervals
    /// are the default ``maxIdleTimeout``.
    public static let maxHeartbeatInterval: Duration = .seconds(300)

    /// Largest frame payload accepted or sent, in bytes. Default 16 MiB.
    public var maxFrameBytes: Int
    /// How often the coordinator pings an idle worker; announced to the worker in HelloAck.
    /// Default 2 s.
    public var heartbeatInterval: Duration
    /// A connection with no inbound frame for this long is closed. Default 3 × heartbeat
    /// (6 s). A worker uses it until the coordinator's HelloAck names its heartbeat interval,
    /// then ``workerIdleTimeout(coordinatorHeartbeat:)``.
    public var idleTimeout: Duration
    /// The longest a worker lets a coordinator with a long heartbeat stay silent. Default
    /// 15 min (3 × ``maxHeartbeatInterval``).
    public var maxIdleTimeout: Duration
    /// Time allowed from TCP accept/connect to an established session (TLS + Hello). Default 10 s.
    public var sessionSetupTimeout: Duration

    /// Creates a configuration; see the property docs for defaults.
    public init(maxFrameBytes: Int = 16 * 1024 * 1024, heartbeatInterval: Duration = .seconds(2),
                idleTimeout: Duration? = nil, maxIdleTimeout: Duration = .seconds(900),
                sessionSetupTimeout: Duration = .seconds(10)) {
        self.maxFrameBytes = maxFrameBytes
        self.heartbeatInterval = heartbeatInterval
        self.idleTimeout = idleTimeout ?? heartbeatInterval * Self.missedHeartbeats
        self.maxIdleTimeout = maxIdleTimeout
        self.sessionSetupTimeout = sessionSetupTimeout
    }

    /// The idle timeout a worker applies once a coordinator's HelloAck announced
    /// `coordinatorHeartbeat`: three of its intervals, but never less than ``idleTimeout``
    /// nor more than ``maxIdleTimeout``. Zero (no interval announced) keeps ``idleTimeout``.
    public func workerIdleTimeout(coordinatorHeartbeat: Duration) -> Duration {
        guard coordinatorHeartbeat > .zero else { return idleTimeout }
        let ceiling = max(maxIdleTimeout, idleTimeout)
        return min(max(coordinatorHeartbeat * Self.missedHeartbeats, idleTimeout), ceiling)
    }
}

/// Protocol versions this build speaks.
public enum ProtocolVersion {
    /// The version this build sends in Hello.
    /// Version 2 added `SystemPrediction.input_fingerprint`, which every answer must carry;
    /// version 3 added PredictBatch / PredictBatchAnswer and `Hello.max_batch_requests`.
    public static let current: UInt32 = 3
    /// The oldest version this build still accepts: the coordinator sends its requests in
    /// PredictBatch frames, which version 2 workers do not know, so version 2 peers are
    /// refused at Hello (as are version 1 peers, whose answers carry no input fingerprint).
    public static let minimumSupported: UInt32 = 3

    /// The highest version both sides speak, or nil when their ranges do not overlap.
    public static func negotiate(peerCurrent: UInt32, peerMinimum: UInt32) -> UInt32? {
        let version = min(current, peerCurrent)
        return version >= max(minimumSupported, peerMinimum) ? version : nil
    }
}
