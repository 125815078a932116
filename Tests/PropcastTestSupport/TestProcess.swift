import Foundation
import Synchronization

/// A child process with captured stdout/stderr, for tests that run real binaries
/// (`propcast`, `openssl`). Waits are event-driven with deadlines, never fixed sleeps.
public final class TestProcess: Sendable {
    private let process: Process
    private let stdinPipe = Pipe()
    private let output = CapturedOutput()
    /// The command line, for failure messages.
    public let commandLine: String

    /// Starts `executable` with `arguments`.
    /// - Throws: when the executable cannot be started.
    public init(_ executable: String, _ arguments: [String], workingDirectory: String? = nil,
                environment: [String: String]? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = stdinPipe
        self.process = process
        self.commandLine = ([executable] + arguments).joined(separator: " ")
        stdoutPipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let chunk = handle.availableData
            if chunk.isEmpty { handle.readabilityHandler = nil }
            output.state.withLock { if chunk.isEmpty { $0.stdoutEnded = true } else { $0.stdout.append(chunk) } }
        }
        stderrPipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let chunk = handle.availableData
            if chunk.isEmpty { handle.readabilityHandler = nil }
            output.state.withLock { if chunk.isEmpty { $0.stderrEnded = true } else { $0.stderr.append(chunk) } }
        }
        try process.run()
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// Everything written to stdout so far.
    public var stdoutBytes: Data { output.state.withLock { $0.stdout } }
    public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    public var stderr: String { String(decoding: output.state.withLock { $0.stderr }, as: UTF8.self) }

    /// Whether the process is still running.
    public var isRunning: Bool { process.isRunning }

    /// Writes bytes to the child's stdin.
    public func write(_ bytes: Data) {
        stdinPipe.fileHandleForWriting.write(bytes)
    }

    /// Closes the child's stdin.
    public func closeStdin() {
        try? stdinPipe.fileHandleForWriting.close()
    }

    /// Sends a signal (e.g. SIGKILL, SIGTERM, SIGSTOP).
    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits until `condition` holds for the output (stdout, stderr) or the deadline passes.
    /// The deadline is a safety net for a hung child, not a timing assertion: a loaded machine
    /// can take seconds to start a debug binary, and the output is checked once more after it.
    /// - Throws: ``TestSupportError`` with the output so far when the deadline passes.
    public func waitUntil(timeout: Duration = .seconds(30), _ what: String,
                          _ condition: (_ stdout: Data, _ stderr: Data) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let expired = ContinuousClock.now >= deadline
            let (out, err) = output.state.withLock { ($0.stdout, $0.stderr) }
            if condition(out, err) { return }
            if expired { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestSupportError("timed out after \(timeout) waiting for \(what) from `\(commandLine)`\n"
                               + "stdout: \(stdout)\nstderr: \(stderr)")
    }

    /// Waits for a stdout line containing `text` and returns that line.
    @discardableResult
    public func waitForLine(containing text: String, timeout: Duration = .seconds(30)) async throws -> String {
        try await waitUntil(timeout: timeout, "a line containing '\(text)'") { out, _ in
            String(decoding: out, as: UTF8.self).contains(text)
        }
        return stdout.split(separator: "\n").first { $0.contains(text) }.map(String.init) ?? ""
    }

    /// Waits for the process to exit and returns its status; kills it at the deadline.
    /// - Throws: ``TestSupportError`` if it had to be killed.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                signal(SIGKILL)
                process.waitUntilExit()
                throw TestSupportError("`\(commandLine)` did not exit within \(timeout)\nstdout: \(stdout)\nstderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.waitUntilExit()
        // Read what the process wrote last, up to the end of both pipes. A child it left behind
        // (a worker the demo started) can hold them open: then give up after a few seconds.
        let drained = ContinuousClock.now + .seconds(5)
        while !output.state.withLock({ $0.stdoutEnded && $0.stderrEnded }), ContinuousClock.now < drained {
            try await Task.sleep(for: .milliseconds(5))
        }
        return process.terminationStatus
    }

    /// Kills the process (SIGKILL) if it is still running and reaps it.
    public func stop() {
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
    }

    /// Runs a command to completion and returns (status, stdout, stderr).
    public static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(60),
                           workingDirectory: String? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try TestProcess(executable, arguments, workingDirectory: workingDirectory)
        child.closeStdin()
        let status = try await child.waitForExit(timeout: timeout)
        return (status, child.stdout, child.stderr)
    }
}

/// Output captured from a child's pipes, appended from Foundation's reader threads.
private final class CapturedOutput: Sendable {
    let state = Mutex<(stdout: Data, stderr: Data, stdoutEnded: Bool, stderrEnded: Bool)>((Data(), Data(), false, false))
}
