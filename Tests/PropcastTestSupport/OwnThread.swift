import Foundation

/// Runs blocking `body` (poll(2), waitpid, a pipe read to its end) on a thread of its own and
/// awaits the result, so a test never holds one of the cooperative pool's threads: there are
/// only two on two cores, and every other test's awaits wait for them.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
