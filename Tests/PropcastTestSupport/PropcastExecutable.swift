import Foundation

/// Locates the `propcast` executable built next to the running test bundle
/// (`.build/<config>/propcast`), so integration tests run the real binary.
public enum PropcastExecutable {
    /// Absolute path of the built `propcast` binary, or a clear failure.
    public static func path(named name: String = "propcast") throws -> String {
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["PROPCAST_BINARY"] { candidates.append(override) }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent(name).path)
            dir = dir.deletingLastPathComponent()
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw TestSupportError("no '\(name)' executable near the test runner (looked in \(candidates)); run `swift build` first")
    }
}

/// A failure in test scaffolding, with a message that says what to do.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
