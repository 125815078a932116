import PropcastModels

/// Merges the two per-date queries of a store (features + context rows, and recent-game rows,
/// both ordered by player) into ``FeatureStore/LoadedInputs`` chunks, whichever database the
/// rows come from: one bad row skips one player, never the date.
enum PlayerInputAssembler {
    /// Reads every feature row, attaching each player's recent games, and hands `body` chunks of
    /// up to `chunkSize` players in player order; `body` returns false to stop early.
    static func assemble<Features: StoreRowCursor, Games: StoreRowCursor>(
        date: GameDate, features featureRows: inout Features, recentGames recent: inout RecentGameReader<Games>,
        chunkSize: Int, _ body: (FeatureStore.LoadedInputs) throws -> Bool
    ) throws {
        var parser = FeatureRowParser(date: date)
        var chunk = FeatureStore.LoadedInputs(inputs: [], unreadable: [:])
        chunk.inputs.reserveCapacity(chunkSize)
        while let row = try featureRows.next() {
            switch parser.parse(row) {
            case .success(var input):
                switch try recent.games(of: input.player) {
                case .success(let games):
                    input.recentGames = games
                    chunk.inputs.append(input)
                case .failure(let problem):
                    chunk.unreadable[input.player] = problem.reason
                }
            case .failure(let problem):
                _ = try recent.games(of: problem.player)
                chunk.unreadable[problem.player] = problem.reason
            }
            if chunk.inputs.count + chunk.unreadable.count >= chunkSize {
                guard try body(chunk) else { return }
                chunk = FeatureStore.LoadedInputs(inputs: [], unreadable: [:])
                chunk.inputs.reserveCapacity(chunkSize)
            }
        }
        if !chunk.inputs.isEmpty || !chunk.unreadable.isEmpty { _ = try body(chunk) }
    }
}
