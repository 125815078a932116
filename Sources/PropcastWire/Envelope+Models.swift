import PropcastModels

/// More wire types under short names (the prediction payloads).
public typealias WireFeature = Propcast_Wire_V1_Feature
public typealias WireRecentGame = Propcast_Wire_V1_RecentGame
public typealias WireDataSource = Propcast_Wire_V1_DataSource
public typealias WireRecommendation = Propcast_Wire_V1_Recommendation
public typealias WireSystemPrediction = Propcast_Wire_V1_SystemPrediction
public typealias WireSystemSkip = Propcast_Wire_V1_SystemSkip
public typealias WireExtra = Propcast_Wire_V1_Extra
public typealias WireExtraValue = Propcast_Wire_V1_ExtraValue
public typealias WireStringList = Propcast_Wire_V1_StringList

/// Limits a `PredictRequest` must respect (Protocols/propcast.proto).
public enum PredictRequestLimits {
    /// At most this many lines per player.
    public static let maximumLines = 5
    /// At most this many past games, newest first.
    public static let maximumRecentGames = 30
}

// MARK: - PlayerInput ↔ PredictRequest

extension WirePredictRequest {
    /// The request that asks a worker to predict `input`. Features are sent in
    /// `v1_baseline_25` vector order, then any other names alphabetically, so equal inputs
    /// give byte-identical requests.
    public init(_ input: PlayerInput, requestID: UInt64, attempt: UInt32 = 1) {
        self.init()
        self.requestID = requestID
        self.attempt = attempt
        gameDate = input.gameDate.description
        playerLookup = input.player.rawValue
        gameID = input.gameID.rawValue
        lineValues = input.lineValues.map(\.rawValue)
        features = FeatureSet.canonicalOrder(input.features).map { name, value in
            var feature = WireFeature()
            feature.name = name
            feature.value = value
            return feature
        }
        featureQualityScore = input.featureQualityScore
        dataSource = WireDataSource(input.dataSource)
        recentGames = input.recentGames.map(WireRecentGame.init)
    }

    /// The player input this request carries.
    /// - Throws: ``WireError`` (`.protocolViolation`) naming the request and the field at
    ///   fault: a game date that is not `YYYY-MM-DD`, an empty player or game id, more than
    ///   5 lines, an empty or repeated feature name, an unknown data source, more than 30
    ///   recent games or one with a bad date. Values (NaN, quality, ranges) are not judged
    ///   here: the engine's validation reports them as player skip reasons.
    public func playerInput() throws -> PlayerInput {
        guard let date = GameDate(gameDate) else { throw invalid("game_date '\(gameDate)' is not YYYY-MM-DD") }
        guard !playerLookup.isEmpty else { throw invalid("player_lookup is empty") }
        guard !gameID.isEmpty else { throw invalid("game_id is empty") }
        guard lineValues.count <= PredictRequestLimits.maximumLines else {
            throw invalid("\(lineValues.count) line_values, at most \(PredictRequestLimits.maximumLines) allowed")
        }
        var values: [String: Double] = [:]
        values.reserveCapacity(features.count)
        for (index, feature) in features.enumerated() {
            guard !feature.name.isEmpty else { throw invalid("feature \(index) has an empty name") }
            guard values.updateValue(feature.value, forKey: feature.name) == nil else {
                throw invalid("feature '\(feature.name)' is given more than once")
            }
        }
        guard let source = dataSource.modelValue else { throw invalid("data_source \(dataSource) is not a known source") }
        guard recentGames.count <= PredictRequestLimits.maximumRecentGames else {
            throw invalid("\(recentGames.count) recent_games, at most \(PredictRequestLimits.maximumRecentGames) allowed")
        }
        let games = try recentGames.enumerated().map { index, game in
            guard let gameDate = GameDate(game.gameDate) else {
                throw invalid("recent_games[\(index)].game_date '\(game.gameDate)' is not YYYY-MM-DD")
            }
            return game.modelValue(date: gameDate)
        }
        return PlayerInput(player: PlayerLookup(playerLookup), gameDate: date, gameID: GameID(gameID),
                           features: values, featureQualityScore: featureQualityScore, dataSource: source,
                           lineValues: lineValues.map { LineValue($0) }, recentGames: games)
    }

    private func invalid(_ detail: String) -> WireError {
        WireError(.protocolViolation, "predict_request \(requestID) for '\(playerLookup)': \(detail)")
    }
}

extension WireDataSource {
    /// The wire value of a model data source.
    public init(_ source: DataSource) {
        switch source {
        case .phase4: self = .phase4
        case .phase3: self = .phase3
        case .mixed: self = .mixed
        case .mock: self = .mock
        }
    }

    /// The model data source, or nil for `UNSPECIFIED` and unknown numbers.
    public var modelValue: DataSource? {
        switch self {
        case .phase4: .phase4
        case .phase3: .phase3
        case .mixed: .mixed
        case .mock: .mock
        case .unspecified, .UNRECOGNIZED: nil
        }
    }
}

extension WireRecentGame {
    /// The wire form of one past game (`days_rest` clamped to the 32-bit field).
    public init(_ game: RecentGame) {
        self.init()
        gameDate = game.gameDate.description
        points = game.points
        if let value = game.opponentDefRatingLast15 { opponentDefRatingLast15 = value }
        if let value = game.daysRest { daysRest = Int32(clamping: value) }
        if let value = game.isHome { isHome = value }
        if let value = game.pointsAvgLast5 { pointsAvgLast5 = value }
        if let value = game.pointsAvgSeason { pointsAvgSeason = value }
    }

    func modelValue(date: GameDate) -> RecentGame {
        RecentGame(gameDate: date, points: points,
                   opponentDefRatingLast15: hasOpponentDefRatingLast15 ? opponentDefRatingLast15 : nil,
                   daysRest: hasDaysRest ? Int(daysRest) : nil, isHome: hasIsHome ? isHome : nil,
                   pointsAvgLast5: hasPointsAvgLast5 ? pointsAvgLast5 : nil,
                   pointsAvgSeason: hasPointsAvgSeason ? pointsAvgSeason : nil)
    }
}

// MARK: - PlayerPredictions → PredictResult

extension WirePredictResult {
    /// The answer carrying everything the engine said about one player: one
    /// `SystemPrediction` per row, one `SystemSkip` per skipped (`failed` false) or failed
    /// (`failed` true) system — without a line, since a system's ability to predict never
    /// depends on the line — and the validation problems as `player_skip_reasons`.
    /// - Parameter computeMicros: time the worker spent computing, in microseconds.
    public init(_ predictions: PlayerPredictions, requestID: UInt64, computeMicros: UInt64) {
        self.init()
        self.requestID = requestID
        self.computeMicros = computeMicros
        self.predictions = predictions.rows.map(WireSystemPrediction.init)
        var skips = predictions.skips.map { WireSystemSkip(systemID: $0.systemID, reason: $0.reason.description, failed: false) }
        skips += predictions.failures.map { WireSystemSkip(systemID: $0.systemID, reason: $0.reason, failed: true) }
        systemSkips = skips
        playerSkipReasons = predictions.validationProblems.map(\.description)
    }

    /// The rows and skips of this answer, for the request that asked about `player` on
    /// `gameDate` in `gameID` (the result does not repeat them). `line_margin` is recomputed
    /// exactly as the engine computes it, so decoded rows equal the worker's bit for bit.
    /// - Throws: ``WireError`` (`.protocolViolation`) naming the request and the entry at
    ///   fault: an unknown system id, a prediction id that is not a UUID, an unspecified
    ///   recommendation, a missing or malformed input fingerprint or an extra without a value.
    public func decoded(player: PlayerLookup, gameDate: GameDate, gameID: GameID) throws -> RemotePlayerPredictions {
        let rows = try predictions.enumerated().map { index, prediction in
            try prediction.row(player: player, gameDate: gameDate, gameID: gameID,
                               where: "predict_result \(requestID) prediction \(index)")
        }
        let skips = try systemSkips.enumerated().map { index, skip in
            guard let system = SystemID.known(skip.systemID) else {
                throw WireError(.protocolViolation,
                                "predict_result \(requestID) system_skip \(index): unknown system '\(skip.systemID)'")
            }
            return RemoteSystemSkip(systemID: system, line: skip.hasLine ? LineValue(skip.line) : nil,
                                    reason: skip.reason, failed: skip.failed)
        }
        return RemotePlayerPredictions(player: player, gameDate: gameDate, gameID: gameID, rows: rows,
                                       systemSkips: skips, playerSkipReasons: playerSkipReasons,
                                       computeMicros: computeMicros)
    }
}

extension WireSystemSkip {
    init(systemID: SystemID, reason: String, failed: Bool) {
        self.init()
        self.systemID = systemID.rawValue
        self.reason = reason
        self.failed = failed
    }
}

extension WireSystemPrediction {
    /// The wire form of one output row (extras sorted by key).
    public init(_ row: PredictionRow) {
        self.init()
        systemID = row.systemID.rawValue
        if let line = row.line { self.line = line.rawValue }
        predictedPoints = row.predictedPoints
        confidenceScore = row.confidenceScore
        recommendation = WireRecommendation(row.recommendation)
        extras = row.extras.keys.sorted().map { key in
            var extra = WireExtra()
            extra.key = key
            extra.value = row.extras[key].map(WireExtraValue.init) ?? WireExtraValue()
            return extra
        }
        modelVersion = row.modelVersion
        predictionID = row.predictionID.description
        if let fingerprint = row.inputFingerprint { inputFingerprint = fingerprint.hex }
    }

    func row(player: PlayerLookup, gameDate: GameDate, gameID: GameID, where place: String) throws -> PredictionRow {
        func invalid(_ detail: String) -> WireError { WireError(.protocolViolation, "\(place): \(detail)") }
        guard let system = SystemID.known(systemID) else { throw invalid("unknown system '\(systemID)'") }
        guard let id = PredictionID(predictionID) else { throw invalid("prediction_id '\(predictionID)' is not a UUID") }
        guard let call = recommendation.modelValue else { throw invalid("recommendation \(recommendation) is not OVER/UNDER/PASS") }
        guard let fingerprint = InputFingerprint(hex: inputFingerprint) else {
            throw invalid("input_fingerprint '\(inputFingerprint.prefix(80))' is not 64 lowercase hex digits")
        }
        var values = [String: ExtraValue](minimumCapacity: extras.count)
        for extra in extras {
            guard let value = extra.value.modelValue else { throw invalid("extra '\(extra.key)' has no value") }
            values[extra.key] = value
        }
        let line = hasLine ? LineValue(self.line) : nil
        return PredictionRow(predictionID: id, systemID: system, player: player, gameDate: gameDate, gameID: gameID,
                             predictedPoints: predictedPoints, confidenceScore: confidenceScore, recommendation: call,
                             line: line, lineMargin: line.map { predictedPoints - $0.rawValue }, extras: values,
                             modelVersion: modelVersion, inputFingerprint: fingerprint)
    }
}

extension WireRecommendation {
    /// The wire value of a recommendation.
    public init(_ recommendation: Recommendation) {
        switch recommendation {
        case .over: self = .over
        case .under: self = .under
        case .pass: self = .pass
        }
    }

    /// The model recommendation, or nil for `UNSPECIFIED` and unknown numbers.
    public var modelValue: Recommendation? {
        switch self {
        case .over: .over
        case .under: .under
        case .pass: .pass
        case .unspecified, .UNRECOGNIZED: nil
        }
    }
}

extension WireExtraValue {
    /// The wire form of a system-specific output value.
    public init(_ value: ExtraValue) {
        self.init()
        switch value {
        case .number(let number): self.value = .number(number)
        case .integer(let integer): self.value = .integer(Int64(integer))
        case .text(let text): self.value = .text(text)
        case .list(let list):
            var strings = WireStringList()
            strings.values = list
            self.value = .list(strings)
        }
    }

    /// The model value, or nil when no case is set.
    public var modelValue: ExtraValue? {
        switch value {
        case .number(let number): .number(number)
        case .integer(let integer): .integer(Int(integer))
        case .text(let text): .text(text)
        case .list(let list): .list(list.values)
        case nil: nil
        }
    }
}

extension SystemID {
    /// The system named `rawValue` if it is one of the five, else nil.
    static func known(_ rawValue: String) -> SystemID? {
        let id = SystemID(rawValue: rawValue)
        return SystemID.all.contains(id) ? id : nil
    }
}
