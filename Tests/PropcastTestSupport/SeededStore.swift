import Foundation

/// A seeded store shared by the integration tests of one test process (seeding is
/// deterministic, so sharing changes nothing but time).
public actor SeededStore {
    public static let shared = SeededStore()
    /// A date in mid-season with 227 of the 450 players playing.
    public static let date = "2024-12-07"
    private var path: String?

    public func path() async throws -> String {
        if let path { return path }
        let directory = try TemporaryDirectory(prefix: "store")
        let file = directory.file("store.sqlite")
        let result = try await TestProcess.run(try PropcastExecutable.path(), [
            "store", "seed", "--store", file, "--season", "2024-25", "--players", "450", "--seed", "42",
            "--last-date", "2024-12-08",
        ], timeout: .seconds(120))
        guard result.status == 0 else { throw TestSupportError("store seed failed: \(result.stderr)") }
        path = file
        return file
    }
}
