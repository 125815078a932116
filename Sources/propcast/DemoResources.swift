import Foundation
import PropcastWire

/// Where the demo finds its own binary, the models and `certs.sh`: next to the repository
/// the binary was built in (`.build/…/propcast`), in the current directory, or where
/// `Ops/deploy.sh` installs them (`/usr/local/share/propcast`).
struct DemoResources {
    let binary: String
    let models: String
    let certsScript: String

    static func locate(models explicitModels: String?) throws -> DemoResources {
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        var roots = [FileManager.default.currentDirectoryPath]
        var directory = URL(fileURLWithPath: binary).deletingLastPathComponent()
        for _ in 0..<5 {
            roots.append(directory.path)
            directory = directory.deletingLastPathComponent()
        }
        func find(_ relative: String, installed: String) -> String? {
            (roots.map { "\($0)/Ops/\(relative)" } + [installed]).first { FileManager.default.fileExists(atPath: $0) }
        }
        guard let models = explicitModels ?? find("models", installed: "/usr/local/share/propcast/models") else {
            throw CommandFailure(.usage, "no model directory found (looked for Ops/models near \(binary) and in "
                                 + "/usr/local/share/propcast/models); pass --models DIR")
        }
        guard let script = find("certs.sh", installed: "/usr/local/share/propcast/certs.sh") else {
            throw CommandFailure(.usage, "Ops/certs.sh not found near \(binary) or in /usr/local/share/propcast")
        }
        return DemoResources(binary: binary, models: models, certsScript: script)
    }

    /// Runs `certs.sh --dir DIR 127.0.0.1` (idempotent: existing files are kept).
    func makeCertificates(in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [certsScript, "--dir", directory, "127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw CommandFailure(.usage, "\(certsScript) failed: \(message)")
        }
    }
}

/// The demo's worker processes. They are stopped by ``stop()``, and also when the demo is
/// interrupted (SIGINT/SIGTERM), so no process outlives the demo.
final class DemoWorkers {
    struct Worker: Sendable {
        let pid: Int32
        let endpoint: Endpoint
    }

    let workers: [Worker]
    private var processes: [Process]
    private let signalSources: [DispatchSourceSignal]

    private init(workers: [Worker], processes: [Process]) {
        self.workers = workers
        self.processes = processes
        let pids = processes.map(\.processIdentifier)
        // On Ctrl-C or SIGTERM: stop the workers, then exit like an interrupted program.
        signalSources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                for pid in pids { kill(pid, SIGTERM) }
                for pid in pids { var status: Int32 = 0; waitpid(pid, &status, 0) }
                FileHandle.standardError.write(Data("propcast demo: interrupted; workers stopped\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            return source
        }
    }

    /// Starts `count` workers on 127.0.0.1:0 and waits for each one's ready line.
    static func start(count: Int, binary: String, models: String, certificates: String,
                      logDirectory: String, extraArguments: [String] = []) throws -> DemoWorkers {
        var processes: [Process] = []
        var workers: [Worker] = []
        do {
            for index in 1...count {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = [
                    "worker", "--listen", "127.0.0.1:0", "--slots", "2", "--node-id", "demo-worker-\(index)",
                    "--models", models, "--cert", "\(certificates)/worker-127.0.0.1.pem",
                    "--key", "\(certificates)/worker-127.0.0.1.key", "--ca", "\(certificates)/ca.pem", "--log-level", "warning",
                ] + extraArguments
                let stdout = Pipe()
                process.standardOutput = stdout
                let log = "\(logDirectory)/worker-\(index).log"
                _ = FileManager.default.createFile(atPath: log, contents: nil)
                process.standardError = FileHandle(forWritingAtPath: log)
                try process.run()
                processes.append(process)
                workers.append(Worker(pid: process.processIdentifier, endpoint: try readyEndpoint(stdout, log: log)))
            }
        } catch {
            for process in processes where process.isRunning { process.terminate() }
            throw error
        }
        return DemoWorkers(workers: workers, processes: processes)
    }

    /// Sends SIGTERM (the worker drains) and waits for every worker to exit.
    func stop() {
        let processes = self.processes
        self.processes = []
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
        for source in signalSources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    private static func readyEndpoint(_ pipe: Pipe, log: String) throws -> Endpoint {
        var text = ""
        while !text.contains("listening on") || !text.hasSuffix("\n") {
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                let reason = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw CommandFailure(.usage, "a demo worker exited before it was ready: \(reason)")
            }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let address = text.split(separator: " ").first(where: { $0.hasPrefix("127.0.0.1:") }) else {
            throw CommandFailure(.usage, "no address in the worker's ready line: \(text)")
        }
        return try Endpoint(parsing: String(address))
    }
}
