import Foundation
import Glibc

/// A spawned process whose stdout is read line by line with deadlines (poll(2), no sleeps)
/// and that a test can kill. Use it from one task; it is not shared.
public final class SpawnedProcess {
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
    public func nextLine(timeout: Double = 30) throws -> String? {
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
    public func waitForExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Everything the child wrote to stderr (call after it exited).
    public func standardError() -> String {
        String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Runs a process to completion and returns its exit status, stdout and stderr.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try SpawnedProcess(executable: executable, arguments: arguments)
        try child.closeStandardInput()
        var lines: [String] = []
        while let line = try child.nextLine() { lines.append(line) }
        let status = child.waitForExit()
        return (status, lines.map { $0 + "\n" }.joined(), child.standardError())
    }
}
