import Foundation
import Glibc

/// A child process timed from spawn to exit, with its peak resident memory (from `wait4`'s
/// rusage) — what a user sees running the command.
struct MeasuredProcess {
    /// Exit status (or 128 + signal).
    var status: Int32
    /// Spawn to exit.
    var wall: Duration
    /// Peak resident set size, bytes.
    var peakRSS: Int
    /// What it wrote to stdout and stderr.
    var output: String

    /// Runs `executable` with `arguments`, its stdout and stderr going to `outputPath`.
    static func run(_ executable: String, _ arguments: [String], outputPath: String) throws -> MeasuredProcess {
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
        guard spawned == 0 else { throw CommandFailure(exitCode: 1, "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
        let wall = clock.now - start
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return MeasuredProcess(status: code, wall: wall, peakRSS: Int(usage.ru_maxrss) * 1024, output: output)
    }
}
