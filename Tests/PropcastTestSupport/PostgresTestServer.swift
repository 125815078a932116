import Foundation
import PropcastPostgres
import PropcastStore

/// The throw-away PostgreSQL server of `Ops/postgres-test-cluster.sh`, named by
/// `PROPCAST_TEST_POSTGRES_URL` (and its CA by `PROPCAST_TEST_POSTGRES_CA`). `.ci/run` always
/// starts one; without it the PostgreSQL tests are skipped locally and fail under `CI`.
public enum PostgresTestServer {
    /// The server's own database (the schema applied), nil when no server was started.
    public static let url: PostgresURL? = ProcessInfo.processInfo.environment["PROPCAST_TEST_POSTGRES_URL"]
        .flatMap(PostgresURL.init)
    /// The CA of the server's TLS certificate.
    public static let certificateAuthority = ProcessInfo.processInfo.environment["PROPCAST_TEST_POSTGRES_CA"]
    /// Whether the tests can run.
    public static var isAvailable: Bool { url != nil }

    /// A fresh database on the server, with the feature store schema applied when `schema`.
    public static func makeDatabase(schema: Bool = true) throws -> TestDatabase {
        guard let url else { throw TestSupportError("no PostgreSQL test server (run Ops/postgres-test-cluster.sh start DIR)") }
        let name = "t_\(UInt32.random(in: .min ... .max))_\(getpid())"
        try PostgresConnection(url: url).execute("CREATE DATABASE \(name)", operation: "creating a test database")
        let database = TestDatabase(name: name, url: url.replacingDatabase(with: name), admin: url)
        if schema {
            let script = try String(contentsOfFile: RepositoryPaths.ops("sql/propcast-store.sql"), encoding: .utf8)
            try PostgresConnection(url: database.url).execute(script, operation: "applying the schema")
        }
        return database
    }
}

/// A database of the test server, dropped by ``drop()``.
public struct TestDatabase: Sendable {
    public let name: String
    public let url: PostgresURL
    let admin: PostgresURL

    /// Drops the database (closing its other sessions).
    public func drop() {
        try? PostgresConnection(url: admin).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", operation: "dropping")
    }
}

extension PostgresURL {
    /// The same server and login with another database (the path of the URL).
    public func replacingDatabase(with name: String) -> PostgresURL {
        let query = text.firstIndex(of: "?").map { String(text[$0...]) } ?? ""
        let base = query.isEmpty ? text : String(text[..<text.firstIndex(of: "?")!])
        let slash = base.range(of: "/", options: .backwards, range: base.range(of: "://")!.upperBound..<base.endIndex)
        let server = slash.map { String(base[..<$0.lowerBound]) } ?? base
        return PostgresURL("\(server)/\(name)\(query)")!
    }

    /// The same URL with `parameters` appended to its query.
    public func adding(_ parameters: String) -> PostgresURL {
        PostgresURL(text + (text.contains("?") ? "&" : "?") + parameters)!
    }
}
