import Foundation
import Glibc
import PropcastTestSupport
import Testing

/// The real worker at its open-files limit (`prlimit --nofile=48`): pending connections, on
/// the protocol port and the metrics port, are turned away, not spun on, and it says so once
/// per interval.
@Suite(.realProcesses) struct WorkerOverloadTests {
    @Test func atTheOpenFilesLimitTheWorkerTurnsConnectionsAwayWithoutSpinning() async throws {
        let certificates = try await TestCertificates.make(hosts: ["127.0.0.1"], prefix: "worker-overload")
        let worker = try TestProcess("/usr/bin/prlimit", ["--nofile=48", try PropcastExecutable.path(),
            "worker", "--listen", "127.0.0.1:0", "--models", WorkerFixture.modelsDirectory,
            "--cert", certificates.workerCert("127.0.0.1"), "--key", certificates.workerKey("127.0.0.1"),
            "--ca", certificates.ca, "--metrics-listen", "127.0.0.1:0"])
        defer { worker.stop() }
        let ready = try await worker.waitForLine(containing: " listening on ")
        let port = try #require(ready.split(separator: " ").first { $0.hasPrefix("127.0.0.1:") }
            .flatMap { Int($0.split(separator: ":")[1]) })
        let metricsLine = try await worker.waitForLine(containing: " metrics on http://127.0.0.1:")
        let metricsPort = try #require(metricsLine.components(separatedBy: "http://127.0.0.1:").last
            .flatMap { Int($0.prefix { $0.isNumber }) })

        // More plain TCP connections than the worker has descriptors (none completes TLS).
        let sockets = (0..<80).compactMap { _ in Self.connect(port: port) }
        defer { sockets.forEach { _ = Glibc.close($0) } }
        #expect(sockets.count == 80)
        try await worker.waitUntil("the overload report") { _, stderr in
            String(decoding: stderr, as: UTF8.self).contains("out of file descriptors: turned away")
        }
        // Scrapes at the limit are turned away by the metrics listener too.
        let scrapes = (0..<5).compactMap { _ in Self.connect(port: metricsPort) }
        defer { scrapes.forEach { _ = Glibc.close($0) } }
        try await worker.waitUntil("the metrics overload report") { _, stderr in
            String(decoding: stderr, as: UTF8.self).contains("metrics connection(s)")
        }
        let before = try Self.cpuTicks(of: worker.pid)
        try await Task.sleep(for: .seconds(2))
        let used = try Self.cpuTicks(of: worker.pid) - before
        // Spinning on accept costs a whole core (about 200 ticks in 2 s); turned away, it idles.
        #expect(used < 60, "the worker used \(used) ticks of CPU in 2 s with connections pending")
        let reports = worker.stderr.components(separatedBy: "out of file descriptors").count - 1
        #expect(reports == 2, "reported \(reports) times instead of once per interval and listener")
        #expect(worker.isRunning)
    }

    /// A blocking TCP connect to 127.0.0.1:`port` (the kernel completes it from the backlog).
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { Glibc.close(fd); return nil }
        return fd
    }

    /// User plus system CPU ticks (1/100 s) of `pid`, from /proc.
    static func cpuTicks(of pid: Int32) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }
}
