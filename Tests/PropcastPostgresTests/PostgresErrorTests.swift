import Foundation
import PropcastModels
import PropcastPostgres
import PropcastStore
import PropcastTestSupport
import Testing

/// A wrong password, an unreachable server and a missing table each give one clear line naming
/// the URL with the password masked and what to do — in the library and from the command line.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs Ops/postgres-test-cluster.sh (always started by .ci/run)"))
struct PostgresErrorTests {
    private func wrongPassword(_ url: PostgresURL) -> PostgresURL {
        let text = url.text
        let at = text.range(of: "@")!.lowerBound
        let colon = text[..<at].range(of: ":", options: .backwards)!.upperBound
        return PostgresURL(text[..<colon] + "not-the-password" + text[at...])!
    }

    private func expectOneLine(_ text: String, naming masked: String, secret: String, fix: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!text.trimmingCharacters(in: .newlines).contains("\n"), "one line: \(text)", sourceLocation: sourceLocation)
        #expect(text.contains(masked), "names \(masked): \(text)", sourceLocation: sourceLocation)
        #expect(!text.contains(secret), "no password: \(text)", sourceLocation: sourceLocation)
        #expect(text.contains(fix), "says what to do (\(fix)): \(text)", sourceLocation: sourceLocation)
    }

    @Test func aWrongPasswordIsNamedAsALoginFailure() async throws {
        let url = wrongPassword(try #require(PostgresTestServer.url))
        let error = #expect(throws: PostgresError.self) { try FeatureStore(path: url.text) }
        #expect(error?.code == .authentication)
        expectOneLine(error?.description ?? "", naming: url.masked, secret: "not-the-password", fix: "check the user and password")
        let cli = try await TestProcess.run(try PropcastExecutable.path(), ["store", "info", "--store", url.text])
        #expect(cli.status == 2)
        expectOneLine(cli.stderr, naming: url.masked, secret: "not-the-password", fix: "check the user and password")
    }

    @Test func anUnreachableServerIsNamedWithWhatToCheck() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")),
                                  sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        close(listener)  // a port nobody listens on
        let port = UInt16(bigEndian: address.sin_port)
        let url = try #require(PostgresURL("postgresql://propcast:hunter2@127.0.0.1:\(port)/propcast?connect_timeout=5"))
        let error = #expect(throws: PostgresError.self) { try FeatureStore(path: url.text) }
        #expect(error?.code == .unreachable)
        expectOneLine(error?.description ?? "", naming: url.masked, secret: "hunter2", fix: "check the server is running")
        let cli = try await TestProcess.run(try PropcastExecutable.path(), ["store", "info", "--store", url.text])
        #expect(cli.status == 2)
        expectOneLine(cli.stderr, naming: url.masked, secret: "hunter2", fix: "check the server is running")
    }

    @Test func aDatabaseWithoutTheSchemaNamesTheFileToApply() async throws {
        let database = try PostgresTestServer.makeDatabase(schema: false)
        defer { database.drop() }
        let secret = try #require(database.url.text.split(separator: ":").dropFirst(2).first?.split(separator: "@").first)
        let error = #expect(throws: PostgresError.self) { try FeatureStore(path: database.url.text) }
        #expect(error?.code == .schema)
        expectOneLine(error?.description ?? "", naming: database.url.masked, secret: String(secret), fix: "Ops/sql/propcast-store.sql")
        let cli = try await TestProcess.run(try PropcastExecutable.path(), [
            "batch", "status", "--store", database.url.text, "--date", "2024-12-07", "--journal-dir", "/nonexistent",
        ])
        #expect(cli.status == 2)
        expectOneLine(cli.stderr, naming: database.url.masked, secret: String(secret), fix: "Ops/sql/propcast-store.sql")
    }

    @Test func aMissingTableAfterConnectingIsNamedToo() throws {
        let database = try PostgresTestServer.makeDatabase()
        defer { database.drop() }
        try PostgresConnection(url: database.url).execute("DROP TABLE player_game_summary", operation: "dropping a table")
        let store = try FeatureStore(path: database.url.text)
        let error = #expect(throws: PostgresError.self) { try store.actualPoints(from: GameDate("2024-11-01")!, to: GameDate("2024-11-02")!) }
        #expect(error?.code == .schema)
        #expect(error?.description.contains("player_game_summary") == true)
        #expect(error?.description.contains("Ops/sql/propcast-store.sql") == true)
    }
}
