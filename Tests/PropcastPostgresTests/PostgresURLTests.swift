import Foundation
import PropcastPostgres
import PropcastTestSupport
import Testing

struct PostgresURLTests {
    @Test(arguments: [
        ("postgresql://propcast:s3cret@db.example:5432/propcast", "postgresql://propcast:***@db.example:5432/propcast"),
        ("postgres://u:p%40ss@10.0.0.5/db?sslmode=verify-full&sslrootcert=/etc/ca.pem",
         "postgres://u:***@10.0.0.5/db?sslmode=verify-full&sslrootcert=/etc/ca.pem"),
        ("postgresql://u@host/db?password=hunter2&sslmode=require", "postgresql://u@host/db?password=***&sslmode=require"),
        ("postgresql://host:5433", "postgresql://host:5433"),
        ("postgresql:///propcast?host=/run/postgresql", "postgresql:///propcast?host=/run/postgresql"),
    ])
    func thePasswordIsMaskedAndNothingElseChanges(url: String, masked: String) throws {
        let parsed = try #require(PostgresURL(url))
        #expect(parsed.masked == masked)
        #expect("\(parsed)" == masked)
        #expect(parsed.text == url)
    }

    @Test func onlyPostgresSchemesAreURLs() {
        #expect(PostgresURL("propcast.sqlite") == nil)
        #expect(PostgresURL("/var/lib/propcast/store.sqlite") == nil)
        #expect(PostgresURL("mysql://u@h/db") == nil)
        #expect(PostgresURL.isPostgres("postgres://h/db"))
    }
}

/// `.ci/run` starts a PostgreSQL server for the tests; there, skipping them would hide them.
struct PostgresServerRequirementTests {
    @Test func theServerIsThereWhenTheTestScriptStartedOne() {
        let environment = ProcessInfo.processInfo.environment
        if environment["PROPCAST_REQUIRE_POSTGRES"] != nil || environment["CI"] != nil {
            #expect(PostgresTestServer.isAvailable, "PROPCAST_TEST_POSTGRES_URL is not set: the PostgreSQL tests would be skipped")
        }
    }
}
