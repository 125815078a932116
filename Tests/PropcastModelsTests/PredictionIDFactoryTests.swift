@testable import PropcastModels
import Testing

/// The engine's fast id derivation must give exactly the ids of `PredictionID.init`.
struct PredictionIDFactoryTests {
    @Test(arguments: [
        ("2025-01-15", "lebronjames", "20250115_LAL_BOS"), ("0999-02-03", "a", ""), ("2024-12-31", "élan", "g|1"),
    ])
    func factoryAgreesWithPredictionIDForEverySystemAndLine(date: String, player: String, game: String) throws {
        let gameDate = try #require(GameDate(date))
        var factory = PredictionIDFactory(gameDate: gameDate, player: PlayerLookup(player), gameID: GameID(game))
        let lines: [LineValue?] = [nil, LineValue(24.5), LineValue(25), LineValue(0.1), LineValue(1e-7)]
        for system in SystemID.all {
            for line in lines {
                for version in ["v1.0", "xgboost_v1_4debc37be252", ""] {
                    let fast = factory.id(system: system, lineText: PredictionIDFactory.lineText(line), modelVersion: version)
                    let reference = PredictionID(gameDate: gameDate, player: PlayerLookup(player), gameID: GameID(game),
                                                 system: system, line: line, modelVersion: version)
                    #expect(fast == reference)
                }
            }
        }
    }
}
