import Synchronization

/// Whether the worker takes work, for `GET /readyz`: not yet while it starts, yes once it
/// serves, no again from the moment it drains. `GET /healthz` only says the process answers.
public final class WorkerReadiness: Sendable {
    /// Where the worker is.
    public enum State: UInt8, Sendable {
        case starting, serving, draining
    }

    private let state = Atomic<UInt8>(State.starting.rawValue)

    /// Starting.
    public init() {}

    /// The current state.
    public var current: State { State(rawValue: state.load(ordering: .acquiring)) ?? .starting }

    /// Moves to `next`.
    public func set(_ next: State) { state.store(next.rawValue, ordering: .releasing) }
}
