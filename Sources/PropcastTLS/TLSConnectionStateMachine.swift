import NIOCore

/// The lifecycle of one TLS connection as a value: events in, actions out, no I/O.
/// ``TLSHandler`` feeds it channel events and performs the actions it returns.
///
/// ```
/// idle ──active──▶ handshaking ──ok──▶ active ──close/fail──▶ closing ──inactive──▶ closed
///                       │ fail/timeout/close                                          ▲
///                       └─────────────────────────────────────────────────────────────┘
/// ```
///
/// Until the handshake completes, the application's writes (and whether it asked for a
/// flush) are held in the `idle` / `handshaking` states; they come out, oldest first, with
/// the action that ends those states: encrypted once the handshake succeeds, failed otherwise.
struct TLSConnectionStateMachine {
    /// Plaintext the application wrote before the handshake completed, with its promise.
    struct HeldWrite: Equatable {
        var plaintext: ByteBuffer
        var promise: EventLoopPromise<Void>?
    }

    /// What the application asked for before the handshake completed.
    struct HeldWrites: Equatable {
        /// Oldest first.
        var writes: [HeldWrite] = []
        /// A flush was asked for (it happens once the writes are encrypted).
        var flushRequested = false
    }

    enum State: Equatable {
        /// The channel is not active yet.
        case idle(HeldWrites)
        case handshaking(HeldWrites)
        case active
        /// Closing after a close request or a failure; writes fail from now on.
        case closing
        case closed
    }

    private(set) var state: State = .idle(HeldWrites())

    /// Whether received ciphertext should be fed to OpenSSL.
    var acceptsInput: Bool { isHandshaking || isActive }

    /// Whether the handshake is under way.
    var isHandshaking: Bool {
        if case .handshaking = state { return true }
        return false
    }

    /// Whether the handshake succeeded and the connection is open.
    var isActive: Bool { state == .active }

    // MARK: Start

    enum StartAction: Equatable {
        /// Create the OpenSSL session, arm the handshake timeout and begin the handshake.
        case startHandshake
        case none
    }

    /// The channel became active (or the handler was added to an active channel).
    mutating func channelActive() -> StartAction {
        guard case .idle(let held) = state else { return .none }
        state = .handshaking(held)
        return .startHandshake
    }

    // MARK: Writes

    enum WriteAction: Equatable {
        /// Held until the handshake completes; nothing to do now.
        case hold
        /// Encrypt and send now.
        case encrypt(ByteBuffer, EventLoopPromise<Void>?)
        /// The connection is closing or closed: fail the write's promise.
        case fail(EventLoopPromise<Void>?)
    }

    /// The application wants to write plaintext.
    mutating func write(_ plaintext: ByteBuffer, promise: EventLoopPromise<Void>?) -> WriteAction {
        let write = HeldWrite(plaintext: plaintext, promise: promise)
        switch state {
        case .idle(var held):
            held.writes.append(write)
            state = .idle(held)
            return .hold
        case .handshaking(var held):
            held.writes.append(write)
            state = .handshaking(held)
            return .hold
        case .active:
            return .encrypt(plaintext, promise)
        case .closing, .closed:
            return .fail(promise)
        }
    }

    enum FlushAction: Equatable {
        /// Remembered until the handshake completes; nothing to do now.
        case hold
        /// Pass the flush on.
        case flush
    }

    /// The application asked for a flush.
    mutating func flush() -> FlushAction {
        switch state {
        case .idle(var held):
            held.flushRequested = true
            state = .idle(held)
            return .hold
        case .handshaking(var held):
            held.flushRequested = true
            state = .handshaking(held)
            return .hold
        case .active, .closing, .closed:
            return .flush
        }
    }

    // MARK: Handshake outcome

    enum HandshakeAction: Equatable {
        /// Encrypt and write `writes` in order, flush if `flush`, then announce the peer and
        /// read any application data that came right behind the peer's Finished message.
        case sendHeldWritesAndAnnounce(writes: [HeldWrite], flush: Bool)
        /// The connection is already going away; nothing to do.
        case ignore
    }

    /// OpenSSL finished the handshake and the peer was accepted.
    mutating func handshakeCompleted() -> HandshakeAction {
        guard case .handshaking(let held) = state else { return .ignore }
        state = .active
        return .sendHeldWritesAndAnnounce(writes: held.writes, flush: !held.writes.isEmpty || held.flushRequested)
    }

    enum FailAction: Equatable {
        /// Fail `heldWrites` with the error, send any alert OpenSSL queued, report the error
        /// and close the channel.
        case failAndClose(heldWrites: [HeldWrite])
        /// A failure was reported already, or the connection is closing anyway.
        case ignore
    }

    /// The handshake failed, timed out or refused the peer, or the session failed later.
    mutating func failed() -> FailAction {
        switch state {
        case .idle(let held), .handshaking(let held):
            state = .closing
            return .failAndClose(heldWrites: held.writes)
        case .active:
            state = .closing
            return .failAndClose(heldWrites: [])
        case .closing, .closed:
            return .ignore
        }
    }

    // MARK: Closing

    enum CloseAction: Equatable {
        /// Send close_notify, flush it, then close the socket.
        case sendCloseNotifyThenClose
        /// No session yet: fail the held writes and close the socket.
        case failHeldWritesAndClose([HeldWrite])
        /// Already closing: just pass the close on.
        case forwardClose
    }

    /// The application (or an error) asked to close the connection.
    mutating func closeRequested() -> CloseAction {
        switch state {
        case .active:
            state = .closing
            return .sendCloseNotifyThenClose
        case .idle(let held), .handshaking(let held):
            state = .closing
            return .failHeldWritesAndClose(held.writes)
        case .closing, .closed:
            return .forwardClose
        }
    }

    enum InactiveAction: Equatable {
        /// The socket closed mid-handshake: report it, failing the held writes with that error.
        case failHandshake(heldWrites: [HeldWrite])
        /// The socket closed before it was ever active: fail the held writes.
        case failHeldWrites([HeldWrite])
        case none
    }

    /// The socket closed.
    mutating func channelInactive() -> InactiveAction {
        defer { state = .closed }
        switch state {
        case .handshaking(let held): return .failHandshake(heldWrites: held.writes)
        case .idle(let held): return held.writes.isEmpty ? .none : .failHeldWrites(held.writes)
        case .active, .closing, .closed: return .none
        }
    }

    /// The handler left the pipeline; returns the held writes, which can no longer be sent.
    mutating func handlerRemoved() -> [HeldWrite] {
        defer { state = .closed }
        switch state {
        case .idle(let held), .handshaking(let held): return held.writes
        case .active, .closing, .closed: return []
        }
    }
}
