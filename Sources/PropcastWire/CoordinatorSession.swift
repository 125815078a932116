import NIOCore
import PropcastTLS

/// The coordinator's end of an established session with one worker (TLS done, Hello
/// exchanged). Reads go through ``next()``, which keeps the session state machine current;
/// writes through ``send(_:)``. Owned by one task; not shared.
public final class CoordinatorSession {
    /// The worker as it introduced itself.
    public let worker: WorkerInfo
    /// The worker's verified certificate and the negotiated TLS parameters.
    public let peer: TLSPeer
    /// The writer; `Sendable`, so other tasks may send requests concurrently.
    public let outbound: NIOAsyncChannelOutboundWriter<Envelope>
    /// Where the session stands.
    public private(set) var state: CoordinatorSessionStateMachine
    private var iterator: NIOAsyncChannelInboundStream<Envelope>.AsyncIterator
    private var nextNonce: UInt64 = 1

    init(worker: WorkerInfo, peer: TLSPeer, state: CoordinatorSessionStateMachine,
         iterator: NIOAsyncChannelInboundStream<Envelope>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<Envelope>) {
        self.worker = worker
        self.peer = peer
        self.state = state
        self.iterator = iterator
        self.outbound = outbound
    }

    /// Sends one envelope.
    public func send(_ envelope: Envelope) async throws {
        try await outbound.write(envelope)
    }

    /// Waits for the next envelope and returns what it means. A protocol violation sends
    /// Goodbye and throws; the worker's Goodbye or end of stream throws ``WireError``.
    public func next() async throws -> CoordinatorSessionStateMachine.Action {
        guard let envelope = try await iterator.next() else {
            throw WireError(.closedByPeer, "worker \(worker.nodeID) closed the connection")
        }
        return try await Self.carryOutEnding(state.received(envelope), outbound: outbound)
    }

    /// `action` when the session goes on; for an ending one, its Goodbye is sent (best effort)
    /// and its error thrown.
    static func carryOutEnding(_ action: CoordinatorSessionStateMachine.Action,
                               outbound: NIOAsyncChannelOutboundWriter<Envelope>) async throws
        -> CoordinatorSessionStateMachine.Action {
        switch action {
        case .sendAndClose(let goodbye, let error):
            try? await outbound.write(goodbye)
            throw error
        case .closed(let error):
            throw error
        default:
            return action
        }
    }

    /// Sends a Ping and waits for its Pong; returns the round-trip time. Other messages
    /// arriving meanwhile are discarded, so use this only on an otherwise idle session.
    public func ping() async throws -> Duration {
        let nonce = nextNonce
        nextNonce += 1
        let clock = ContinuousClock()
        let start = clock.now
        var ping = WirePing()
        ping.nonce = nonce
        ping.sentAtNanos = NIODeadline.now().uptimeNanoseconds
        try await send(Envelope(.ping(ping)))
        while true {
            if case .pong(let pong) = try await next(), pong.nonce == nonce {
                return clock.now - start
            }
        }
    }

    /// Says Goodbye(NORMAL); the connection closes when the session scope ends.
    public func goodbye(_ message: String = "done") async {
        try? await outbound.write(.goodbye(.normal, message))
    }
}
