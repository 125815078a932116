/// The worker's live connections, so a drain reaches every one of them — including a
/// connection that registers after the drain began, which is drained as it arrives.
actor ConnectionRegistry {
    private var connections: [ObjectIdentifier: WorkerConnection] = [:]
    private var drainReason: String?

    /// Adds a connection; drains it at once if the worker is already draining.
    func register(_ connection: WorkerConnection) async {
        connections[ObjectIdentifier(connection)] = connection
        if let drainReason { await connection.drain(reason: drainReason) }
    }

    /// Removes a connection that has ended.
    func unregister(_ connection: WorkerConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Sends Drain on every connection; returns how many there were and how many requests
    /// they had in flight.
    func drainAll(reason: String) async -> (connections: Int, inFlight: Int) {
        drainReason = reason
        var inFlight = 0
        let current = Array(connections.values)
        for connection in current {
            inFlight += await connection.inFlight
            await connection.drain(reason: reason)
        }
        return (current.count, inFlight)
    }

    /// Closes every connection still open; returns how many there were.
    func abandonAll(reason: String) async -> Int {
        let current = Array(connections.values)
        for connection in current { await connection.abandon(reason: reason) }
        return current.count
    }

    /// Connections open now.
    var count: Int { connections.count }
}
