import Foundation
import GRDB
import PropcastModels
import PropcastPostgres
import PropcastSeason
@testable import PropcastStore
import PropcastTestSupport
import Testing

/// The same seeded season in SQLite and on a real PostgreSQL server reads back the same.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs Ops/postgres-test-cluster.sh (always started by .ci/run)"))
struct PostgresStoreTests {
    static let configuration = StoreSeedConfiguration(season: "2024-25", players: 120, teams: 8, seed: 7,
                                                      lastDate: GameDate("2024-11-20"))

    private func seededPair() throws -> (sqlite: FeatureStore, postgres: FeatureStore, database: TestDatabase,
                                         directory: TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: "pg-store")
        let database = try PostgresTestServer.makeDatabase()
        let file = directory.file("store.sqlite")
        let seeder = StoreSeeder(configuration: Self.configuration)
        let sqliteInfo = try seeder.seed(path: file)
        let postgresInfo = try seeder.seed(path: database.url.text)
        #expect(sqliteInfo == postgresInfo)
        return (try FeatureStore(path: file, readOnly: false), try FeatureStore(path: database.url.text), database, directory)
    }

    @Test func everyQueryGivesTheSameResultsOnBothStores() throws {
        let (sqlite, postgres, database, directory) = try seededPair()
        defer { database.drop(); directory.remove() }
        #expect(postgres.path == database.url.masked)
        #expect(try sqlite.info() == postgres.info())
        let dates = try sqlite.gameDates()
        #expect(dates.count > 20)
        #expect(try postgres.gameDates() == dates)
        for date in dates {
            #expect(try postgres.readiness(on: date) == sqlite.readiness(on: date), "readiness of \(date)")
            let fromSQLite = try sqlite.loadInputs(on: date), fromPostgres = try postgres.loadInputs(on: date)
            #expect(fromPostgres.inputs == fromSQLite.inputs, "inputs of \(date)")
            #expect(fromPostgres.unreadable == fromSQLite.unreadable)
        }
        let some = Array(try sqlite.loadInputs(on: dates[25]).inputs.prefix(3).map(\.player))
        #expect(try postgres.playerInputs(on: dates[25], players: some) == sqlite.playerInputs(on: dates[25], players: some))
        #expect(try postgres.actualPoints(from: dates[0], to: dates.last!) == sqlite.actualPoints(from: dates[0], to: dates.last!))
    }

    @Test func aBadRowSkipsThePlayerWithTheSameReasonOnBothStores() throws {
        let (sqlite, postgres, database, directory) = try seededPair()
        defer { database.drop(); directory.remove() }
        let date = try #require(try sqlite.gameDates().dropFirst(20).first)
        let player = try #require(try sqlite.loadInputs(on: date).inputs.first?.player)
        try sqlite.database.write { db in
            try db.execute(sql: "UPDATE ml_feature_store_v2 SET features = '[1,2' WHERE player_lookup = ? AND game_date = ?",
                           arguments: [player.rawValue, date.description])
        }
        try PostgresConnection(url: database.url).query(
            "UPDATE ml_feature_store_v2 SET features = '[1,2' WHERE player_lookup = $1 AND game_date = $2::date",
            [player.rawValue, date.description], operation: "breaking a row")
        let reason = try #require(try sqlite.loadInputs(on: date).unreadable[player])
        #expect(reason.contains("ml_feature_store_v2.features"))
        #expect(try postgres.loadInputs(on: date).unreadable == [player: reason])
    }

    @Test func aMinusZeroWrittenByAnotherWriterReadsAsSQLiteStoresIt() throws {
        let (sqlite, postgres, database, directory) = try seededPair()
        defer { database.drop(); directory.remove() }
        let date = try #require(try sqlite.gameDates().dropFirst(20).first)
        let player = try #require(try sqlite.loadInputs(on: date).inputs.first { !$0.recentGames.isEmpty })
        let game = try #require(player.recentGames.first)
        try sqlite.database.write { db in
            try db.execute(sql: "UPDATE player_game_summary SET points = -0.0 WHERE player_lookup = ? AND game_date = ?",
                           arguments: [player.player.rawValue, game.gameDate.description])
        }
        try PostgresConnection(url: database.url).query(
            "UPDATE player_game_summary SET points = '-0' WHERE player_lookup = $1 AND game_date = $2::date",
            [player.player.rawValue, game.gameDate.description], operation: "writing a -0")
        let fromPostgres = try postgres.playerInputs(on: date, players: [player.player])
        #expect(fromPostgres == (try sqlite.playerInputs(on: date, players: [player.player])))
        #expect(fromPostgres.first?.recentGames.first?.points.sign == .plus)
    }

    @Test func seedingRefusesAStoreWithRowsUnlessReplacing() throws {
        let database = try PostgresTestServer.makeDatabase()
        defer { database.drop() }
        let seeder = StoreSeeder(configuration: StoreSeedConfiguration(season: "2024-25", players: 60, teams: 4, seed: 1,
                                                                       lastDate: GameDate("2024-10-30")))
        let first = try seeder.seed(path: database.url.text)
        let refusal = #expect(throws: StoreError.self) { try seeder.seed(path: database.url.text) }
        #expect(refusal?.description.contains("already holds rows") == true)
        #expect(refusal?.description.contains("--force") == true)
        #expect(try seeder.seed(path: database.url.text, replacing: true) == first)
    }

    @Test func verifyFullTLSWorksWithTheOperatorsCAAndFailsWithAnother() async throws {
        let database = try PostgresTestServer.makeDatabase()
        defer { database.drop() }
        let ca = try #require(PostgresTestServer.certificateAuthority)
        let trusted = database.url.adding("sslmode=verify-full&sslrootcert=\(ca)")
        let store = try FeatureStore(path: trusted.text)
        #expect(try store.info().featureRows == 0)
        let session = try PostgresConnection(url: trusted).query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                                                                 operation: "reading the session's TLS")
        #expect(session.text(0, 0) == "t")
        let other = try await TestCertificates.make(hosts: ["127.0.0.1"], prefix: "pg-other-ca")
        let untrusted = database.url.adding("sslmode=verify-full&sslrootcert=\(other.ca)")
        let error = #expect(throws: PostgresError.self) { try FeatureStore(path: untrusted.text) }
        #expect(error?.code == .unreachable)
        #expect(error?.description.contains("certificate verify failed") == true)
    }
}
