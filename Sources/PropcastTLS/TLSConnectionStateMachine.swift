/// The lifecycle of one TLS connection as a value: events in, actions out, no I/O.
/// ``TLSHandler`` feeds it channel events and performs the actions it returns.
///
/// ```
/// idle ──active──▶ handshaking ──ok──▶ active ──close──▶ closing ──inactive──▶ closed
///                       │ fail/timeout/close                                     ▲
///                       └────────────────────────────────────────────────────────┘
/// ```
struct TLSConnectionStateMachine {
    enum State: Equatable {
        case idle
        case handshaking
        case active
        case closing
        case closed
    }

    private(set) var state: State = .idle

    enum StartAction: Equatable {
        case startHandshake
        case none
    }

    /// The channel became active (or the handler was added to an active channel).
    mutating func channelActive() -> StartAction {
        guard state == .idle else { return .none }
        state = .handshaking
        return .startHandshake
    }

    enum WriteAction: Equatable {
        /// Keep the plaintext until the handshake completes.
        case buffer
        /// Encrypt and send now.
        case encrypt
        /// The connection is closing or closed: fail the write.
        case fail
    }

    /// The application wants to write plaintext.
    func write() -> WriteAction {
        switch state {
        case .idle, .handshaking: return .buffer
        case .active: return .encrypt
        case .closing, .closed: return .fail
        }
    }

    /// Whether received ciphertext should be fed to OpenSSL.
    var acceptsInput: Bool { state == .handshaking || state == .active }

    enum HandshakeAction: Equatable {
        /// Announce the peer, then encrypt and flush the buffered writes.
        case notifyAndFlushBufferedWrites
        /// Fail the buffered writes, report the error and close.
        case failAndClose
        /// The connection is already going away; nothing to do.
        case ignore
    }

    /// OpenSSL finished the handshake (`succeeded`) or it failed / timed out / the peer
    /// was refused after it.
    mutating func handshakeFinished(succeeded: Bool) -> HandshakeAction {
        guard state == .handshaking else { return .ignore }
        if succeeded {
            state = .active
            return .notifyAndFlushBufferedWrites
        }
        state = .closing
        return .failAndClose
    }

    enum CloseAction: Equatable {
        /// Send close_notify, flush it, then close the socket.
        case sendCloseNotifyThenClose
        /// No session yet: fail buffered writes and close the socket.
        case failBufferedWritesAndClose
        /// Already closing: just pass the close on.
        case forwardClose
    }

    /// The application (or an error) asked to close the connection.
    mutating func closeRequested() -> CloseAction {
        switch state {
        case .active:
            state = .closing
            return .sendCloseNotifyThenClose
        case .idle, .handshaking:
            state = .closing
            return .failBufferedWritesAndClose
        case .closing, .closed:
            return .forwardClose
        }
    }

    enum InactiveAction: Equatable {
        /// The socket closed mid-handshake: report it and fail buffered writes.
        case failHandshake
        case none
    }

    /// The socket closed.
    mutating func channelInactive() -> InactiveAction {
        defer { state = .closed }
        return state == .handshaking ? .failHandshake : .none
    }
}
