import Foundation
import PropcastWire
import Synchronization

/// Collects a worker's stdout until its ready line, and resumes the one waiter then (or with
/// an error when stdout closes first). Fed by the pipe's readability handler.
final class ReadyLineWatch: Sendable {
    private struct State {
        var text = ""
        var result: Result<Endpoint, FleetError>?
        var waiter: CheckedContinuation<Endpoint, any Error>?
    }
    private let state = Mutex(State())

    /// Takes the next chunk of stdout (empty = closed).
    func consume(_ chunk: Data) {
        let resume: (CheckedContinuation<Endpoint, any Error>, Result<Endpoint, FleetError>)? = state.withLock { state in
            guard state.result == nil else { return nil }
            if chunk.isEmpty {
                state.result = .failure(FleetError("exited before it was ready"))
            } else {
                state.text += String(decoding: chunk, as: UTF8.self)
                guard let line = state.text.split(separator: "\n", omittingEmptySubsequences: true)
                    .first(where: { LocalWorkerLaunch.endpoint(inReadyLine: $0) != nil }),
                      let endpoint = LocalWorkerLaunch.endpoint(inReadyLine: line) else { return nil }
                state.result = .success(endpoint)
            }
            guard let waiter = state.waiter, let result = state.result else { return nil }
            state.waiter = nil
            return (waiter, result)
        }
        if let (waiter, result) = resume { waiter.resume(with: result.mapError { $0 as any Error }) }
    }

    /// The ready line's address; throws ``FleetError`` when stdout closes first or `timeout` passes.
    func wait(timeout: Duration) async throws -> Endpoint {
        let timer = Task {
            try await Task.sleep(for: timeout)
            fail(FleetError("no ready line within \(timeout)"))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Endpoint, FleetError>? = state.withLock { state in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready.mapError { $0 as any Error }) }
        }
    }

    private func fail(_ error: FleetError) {
        let waiter: CheckedContinuation<Endpoint, any Error>? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = .failure(error)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(throwing: error)
    }
}

/// A process's exit status once its termination handler ran, and the waiters for it.
final class ExitWatch: Sendable {
    private struct State {
        var code: Int32?
        var waiters: [Int: CheckedContinuation<Int32?, Never>] = [:]
        /// Waits whose time ran out before they registered.
        var expired: Set<Int> = []
        var nextWaiter = 0
    }
    private let state = Mutex(State())

    /// The exit status, nil while running.
    var code: Int32? { state.withLock { $0.code } }

    /// Records the exit and resumes every waiter.
    func finish(code: Int32) {
        let waiters = state.withLock { state in
            state.code = code
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: code) }
    }

    /// The exit status; throws ``FleetError`` naming `what` when it has not come within `timeout`.
    func wait(timeout: Duration, what: String) async throws -> Int32 {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.expire(id)
        }
        defer { timer.cancel() }
        let code = await withCheckedContinuation { continuation in
            let known: Int32?? = state.withLock { state in
                if let code = state.code { return .some(code) }
                if state.expired.remove(id) != nil { return .some(nil) }
                state.waiters[id] = continuation
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
        guard let code else { throw FleetError("timed out after \(timeout) waiting for \(what)") }
        return code
    }

    private func expire(_ id: Int) {
        let waiter = state.withLock { state in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                if state.code == nil { state.expired.insert(id) }
                return nil as CheckedContinuation<Int32?, Never>?
            }
            return waiter
        }
        waiter?.resume(returning: nil)
    }
}
