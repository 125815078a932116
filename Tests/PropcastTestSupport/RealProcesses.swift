import Foundation
import Testing

/// A test that starts real processes (workers, coordinators, `openssl`, `chromium`) waits for
/// one of a few machine-wide slots first. Swift Testing starts every suite at once; on a
/// 2-core machine a dozen of them side by side, each with debug-built workers busy on both
/// cores, starved the in-process tests whose peers must answer within seconds (a CI run lost
/// nine tests to 30 s of starvation). The slots bound that load without serializing the
/// cheap tests. `PROPCAST_TEST_PROCESS_SLOTS` sets their number (default: the core count, at least 2).
///
/// Recursive on a suite: each of its test cases takes a slot while it runs. A test case under
/// two such suites takes one.
public struct RealProcessesTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> RealProcessesTrait? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        if ProcessSlots.held {
            try await function()
            return
        }
        await ProcessSlots.shared.acquire()
        do {
            try await ProcessSlots.$held.withValue(true) { try await function() }
        } catch {
            await ProcessSlots.shared.release()
            throw error
        }
        await ProcessSlots.shared.release()
    }
}

extension Trait where Self == RealProcessesTrait {
    /// The test starts real processes: it runs in one of the machine-wide process slots.
    public static var realProcesses: Self { RealProcessesTrait() }
}

/// A counting semaphore for tasks: waiters resume in arrival order.
actor ProcessSlots {
    static let shared = ProcessSlots(count: ProcessInfo.processInfo.environment["PROPCAST_TEST_PROCESS_SLOTS"]
        .flatMap { Int($0) }.map { max(1, $0) } ?? max(2, ProcessInfo.processInfo.activeProcessorCount))
    /// Whether the current task already holds a slot (a test case under two marked suites).
    @TaskLocal static var held = false

    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(count: Int) {
        free = count
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            free += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
