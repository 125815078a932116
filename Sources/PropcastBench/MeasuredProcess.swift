import Foundation
import Glibc
import Synchronization

/// A child process timed from spawn to exit, with its peak resident memory — what a user
/// sees running the command. The peak is the child's `VmHWM` (from `/proc/PID/status`,
/// sampled every 5 ms until it exits, so growth in its last 5 ms may be missed), not `wait4`'s `ru_maxrss`: Linux carries the
/// spawning process's own peak over into the child's at exec, so a large benchmark process
/// would report its own memory for every child.
public struct MeasuredProcess: Sendable {
    /// Exit status (or 128 + signal).
    public var status: Int32
    /// Spawn to exit.
    public var wall: Duration
    /// Peak resident set size, bytes.
    public var peakRSS: Int
    /// What it wrote to stdout and stderr.
    public var output: String

    /// Runs `executable` with `arguments`, its stdout and stderr going to `outputPath`.
    public static func run(_ executable: String, _ arguments: [String], outputPath: String) throws -> MeasuredProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchError("cannot start \(executable): \(String(cString: strerror(spawned)))") }
        // A sampler thread reads the child's VmHWM every 5 ms while this thread waits for the
        // exit (so the wall time is exact and the sampling costs next to nothing).
        let sampling = Mutex((running: true, peak: 0))
        let child = pid
        let sampler = Thread {
            while sampling.withLock({ $0.running }) {
                let seen = highWaterMark(of: child)
                sampling.withLock { $0.peak = max($0.peak, seen) }
                usleep(5000)
            }
        }
        sampler.start()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let wall = clock.now - start
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let peak = sampling.withLock { state in
            state.running = false
            return state.peak
        }
        return MeasuredProcess(status: code, wall: wall, peakRSS: peak, output: output)
    }

    /// The process's peak resident set size so far in bytes (`VmHWM`), 0 if it cannot be read.
    private static func highWaterMark(of pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return kilobytes * 1024
    }
}
