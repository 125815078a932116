/// The role a node's certificate grants it. Carried in the certificate subject's
/// organizational unit (`OU=coordinator` / `OU=worker`), set by `Ops/certs.sh`.
public enum PeerRole: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case coordinator
    case worker

    public var description: String { rawValue }

    /// The role this role talks to: workers accept only coordinators and vice versa.
    public var counterpart: PeerRole {
        switch self {
        case .coordinator: return .worker
        case .worker: return .coordinator
        }
    }
}
