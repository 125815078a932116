import Foundation

/// Where this installation keeps its own binary, the models and `certs.sh`: next to the
/// repository the binary was built in (`.build/…/propcast`), in the current directory, or
/// where `Ops/deploy.sh` installs them (`/usr/local/share/propcast`). The demo and the
/// benchmarks start local workers from it.
public struct LocalInstallation: Sendable {
    /// The running `propcast` binary.
    public let binary: String
    /// The model directory.
    public let models: String
    /// `Ops/certs.sh`.
    public let certsScript: String

    /// Finds the installation of the running binary; `explicitModels` wins over the search.
    /// Throws ``FleetError`` naming what is missing.
    public static func locate(models explicitModels: String?) throws -> LocalInstallation {
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
            throw FleetError("no model directory found (looked for Ops/models near \(binary) and in "
                                 + "/usr/local/share/propcast/models); pass --models DIR")
        }
        guard let script = find("certs.sh", installed: "/usr/local/share/propcast/certs.sh") else {
            throw FleetError("Ops/certs.sh not found near \(binary) or in /usr/local/share/propcast")
        }
        return LocalInstallation(binary: binary, models: models, certsScript: script)
    }

    /// Runs `certs.sh --dir DIR 127.0.0.1` (idempotent: existing files are kept).
    public func makeCertificates(in directory: String) throws {
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
            throw FleetError("\(certsScript) failed: \(message)")
        }
    }
}
