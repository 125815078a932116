import Foundation
import PropcastWire
import Synchronization

/// One running `propcast worker` child process: its address once it printed its ready line,
/// signals, and its exit. Waits are event-driven (pipe and termination handlers on Foundation's
/// own threads), so they never block Swift's cooperative pool.
public final class LocalWorker: Sendable {
    /// How it was started.
    public let launch: LocalWorkerLaunch
    /// The process id.
    public let pid: Int32
    /// The address from its ready line.
    public let endpoint: Endpoint

    private let process: Process
    private let exit: ExitWatch

    /// Starts the worker and returns once it printed its ready line.
    /// Throws ``FleetError`` when it cannot start, exits first (naming its last log lines)
    /// or stays silent past `launch.readyTimeout` (it is killed then).
    public static func start(_ launch: LocalWorkerLaunch) async throws -> LocalWorker {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launch.binary)
        process.arguments = launch.arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = FileHandle.nullDevice
        if let logFile = launch.logFile {
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: logFile) ?? FileHandle.nullDevice
        } else {
            process.standardError = FileHandle.nullDevice
        }
        let exit = ExitWatch()
        process.terminationHandler = { exit.finish(code: $0.terminationReason == .uncaughtSignal
                                                   ? 128 + $0.terminationStatus : $0.terminationStatus) }
        let ready = ReadyLineWatch()
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            // At end of file Foundation calls the handler again and again: stop it once.
            if chunk.isEmpty { handle.readabilityHandler = nil }
            ready.consume(chunk)
        }
        do {
            try process.run()
        } catch {
            throw FleetError("cannot start \(launch.binary): \(error)")
        }
        let endpoint: Endpoint
        do {
            endpoint = try await ready.wait(timeout: launch.readyTimeout)
        } catch let failure as FleetError {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            let log = launch.logFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
            let tail = log.map { "; its log ends: " + $0.split(separator: "\n").suffix(3).joined(separator: " | ") } ?? ""
            throw FleetError("worker \(launch.nodeID): \(failure.description)\(tail)")
        }
        return LocalWorker(launch: launch, pid: process.processIdentifier, endpoint: endpoint, process: process,
                           exit: exit)
    }

    private init(launch: LocalWorkerLaunch, pid: Int32, endpoint: Endpoint, process: Process, exit: ExitWatch) {
        self.launch = launch
        self.pid = pid
        self.endpoint = endpoint
        self.process = process
        self.exit = exit
    }

    /// Whether the process has not exited yet.
    public var isRunning: Bool { exit.code == nil }

    /// Sends `signal` (SIGTERM drains, SIGKILL kills, SIGSTOP freezes); nothing once it exited.
    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the exit and returns its status (128 + signal when killed by one).
    /// Throws ``FleetError`` when it is still running after `timeout`.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        try await exit.wait(timeout: timeout, what: "worker \(launch.nodeID) (pid \(pid)) to exit")
    }

    /// SIGTERM (the worker drains), then SIGKILL if it has not exited within `grace`.
    public func stop(grace: Duration = .seconds(10)) async {
        signal(SIGCONT)
        signal(SIGTERM)
        if (try? await waitForExit(timeout: grace)) == nil {
            signal(SIGKILL)
            _ = try? await waitForExit(timeout: .seconds(10))
        }
    }
}

/// A failure to start or stop local workers, saying which worker and why.
public struct FleetError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
