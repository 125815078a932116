import PropcastWire

/// A worker's identity within a batch: the `HOST:PORT` it was configured as. Reports and
/// logs show it as that address.
public struct WorkerID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// `HOST:PORT`.
    public let address: String

    /// The worker configured as `address`.
    public init(_ address: String) { self.address = address }

    /// The worker at `endpoint`.
    public init(_ endpoint: Endpoint) { self.address = endpoint.description }

    public init(stringLiteral value: String) { self.address = value }

    public var description: String { address }

    public static func < (lhs: WorkerID, rhs: WorkerID) -> Bool { lhs.address < rhs.address }
}
