import Foundation
import Glibc

/// A spawned process whose stdout is read line by line with deadlines (poll(2), no sleeps)
/// and that a test can kill. The waits run on a thread of their own (``onOwnThread(_:)``).
/// Use it from one task at a time; that is why it may be sent to those threads.
public final class SpawnedProcess: @unchecked Sendable {
    /// The child's pid.
    public var pid: Int32 { process.processIdentifier }
    private let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let stdinPipe = Pipe()
    private var buffered: [UInt8] = []
    private var stdoutClosed = false

    /// Starts `executable` with `arguments`; stdin, stdout and stderr are pipes.
    public init(executable: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = stdinPipe
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The next stdout line (without newline), or nil when stdout closed.
    /// Throws ``TestSupportError`` when no full line arrives within `timeout` seconds.
    public func nextLine(timeout: Double = 30) async throws -> String? {
        try await nextLines(1, timeout: timeout).first
    }

    /// The next `count` stdout lines, fewer when stdout closes first (`Int.max`: all until it
    /// closes), read in one wait, so a test does not queue behind the pool once per line.
    /// Throws ``TestSupportError`` when a line does not arrive within `timeout` seconds of the last.
    public func nextLines(_ count: Int, timeout: Double = 30) async throws -> [String] {
        try await onOwnThread {
            var lines: [String] = []
            while lines.count < count, let line = try self.blockingNextLine(timeout: timeout) { lines.append(line) }
            return lines
        }
    }

    private func blockingNextLine(timeout: Double) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeFirst(newline + 1)
                return line
            }
            if stdoutClosed { return nil }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw TestSupportError("no line from pid \(pid) within \(timeout) s") }
            var descriptor = pollfd(fd: stdoutPipe.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, Int32(min(remaining * 1000, 1000))) >= 0 || errno == EINTR else {
                throw TestSupportError("poll on child stdout failed: errno \(errno)")
            }
            guard descriptor.revents != 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(descriptor.fd, $0.baseAddress, $0.count) }
            if count <= 0 { stdoutClosed = true } else { buffered += chunk[0..<count] }
        }
    }

    /// Sends `signal` to the child.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Closes the child's stdin (it sees end of file).
    public func closeStandardInput() throws {
        try stdinPipe.fileHandleForWriting.close()
    }

    /// Waits for the child to exit and returns its exit status (or terminating signal).
    public func waitForExit() async throws -> Int32 {
        try await onOwnThread {
            self.process.waitUntilExit()
            return self.process.terminationStatus
        }
    }

    /// Everything the child wrote to stderr (call after it exited).
    public func standardError() async throws -> String {
        try await onOwnThread {
            String(decoding: self.stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
    }

    /// What the child wrote to stdout and nobody read yet, as lines, without waiting for end
    /// of file (call after it exited: another child spawned meanwhile may hold the pipe open).
    public func unreadLines() async throws -> [String] {
        try await onOwnThread {
            var descriptor = pollfd(fd: self.stdoutPipe.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            while !self.stdoutClosed, poll(&descriptor, 1, 0) > 0 {
                var chunk = [UInt8](repeating: 0, count: 65536)
                let count = chunk.withUnsafeMutableBytes { read(descriptor.fd, $0.baseAddress, $0.count) }
                if count <= 0 { self.stdoutClosed = true } else { self.buffered += chunk[0..<count] }
            }
            let lines = self.buffered.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            self.buffered = Array(lines.last ?? [])
            return lines.dropLast().map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Runs a process to completion and returns its exit status, stdout and stderr. Waits for
    /// the exit, not for end of file on the pipes (which other children may hold open).
    public static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await TestProcess.run(executable, arguments, timeout: .seconds(120))
    }
}
