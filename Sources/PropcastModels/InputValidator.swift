/// Settings of ``InputValidator``.
public struct ValidationConfiguration: Sendable, Hashable {
    /// Players whose `feature_quality_score` is below this are skipped. Default 70 (SYSTEMS.md §2).
    public var minimumQualityScore: Double
    /// At most this many lines per player. Default 5.
    public var maximumLineCount: Int
    /// Whether to skip players with values outside ``InputValidator/saneRanges``. Default true.
    public var checksSaneRanges: Bool

    /// Creates a configuration; every parameter defaults to the documented value.
    public init(minimumQualityScore: Double = 70, maximumLineCount: Int = 5, checksSaneRanges: Bool = true) {
        self.minimumQualityScore = minimumQualityScore
        self.maximumLineCount = maximumLineCount
        self.checksSaneRanges = checksSaneRanges
    }
}

/// Checks a player input before any system runs (SYSTEMS.md §2) and lists every problem.
public struct InputValidator: Sendable {
    /// The settings in use.
    public var configuration: ValidationConfiguration

    /// Bounds outside which a value is nonsense rather than unusual. Deliberately far wider
    /// than the typical ranges of SYSTEMS.md §1 (zone shares accept percents too, minutes
    /// allow overtime) so they only skip garbage. Composite scores (mismatch, pace, usage spike,
    /// the reserved four) are unbounded and not listed; `points_avg_season` has its own rule.
    public static let saneRanges: [(feature: FeatureSet.Feature, range: ClosedRange<Double>)] = [
        (.pointsAvgLast5, 0...100), (.pointsAvgLast10, 0...100), (.pointsStdLast10, 0...100),
        (.minutesAvgLast10, 0...70), (.fatigueScore, 0...100),
        (.opponentDefRatingLast15, 50...200), (.opponentPaceLast15, 50...150),
        (.isHome, 0...1), (.daysRest, 0...365), (.backToBack, 0...1),
        (.paintRateLast10, 0...100), (.midRangeRateLast10, 0...100), (.threePtRateLast10, 0...100),
        (.assistedRateLast10, 0...100), (.teamPaceLast10, 50...150), (.teamOffRatingLast10, 50...200),
        (.usageRateLast10, 0...100), (.gamesPlayedLast7Days, 0...7), (.pctFreeThrow, 0...100),
    ]

    /// Creates a validator.
    public init(configuration: ValidationConfiguration = .init()) {
        self.configuration = configuration
    }

    /// Every problem with `input`, in a fixed order (features in vector order first); empty
    /// when the player can be predicted.
    public func problems(in input: PlayerInput) -> [ValidationProblem] {
        problems(in: input, features: FeatureSet(input))
    }

    /// As ``problems(in:)`` with the input's features already resolved.
    func problems(in input: PlayerInput, features: FeatureSet) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        for feature in FeatureSet.Feature.baseline where !features.contains(feature) {
            problems.append(.missingFeature(name: feature.name))
        }
        // Every given value, known name or not: a NaN anywhere means the row is garbage.
        // Sorted by name so the list does not depend on dictionary order.
        var nonFinite: [ValidationProblem] = []
        for (name, value) in input.features where !value.isFinite {
            nonFinite.append(.nonFiniteFeature(name: name, value: value))
        }
        if nonFinite.count > 1 { nonFinite.sort { $0.description < $1.description } }
        problems += nonFinite

        let quality = input.featureQualityScore
        if !quality.isFinite || quality < 0 || quality > 100 {
            problems.append(.invalidQualityScore(quality))
        } else if quality < configuration.minimumQualityScore {
            problems.append(.qualityScoreBelowMinimum(score: quality, minimum: configuration.minimumQualityScore))
        }
        if let season = features[.pointsAvgSeason], season.isFinite, !(0...60).contains(season) {
            problems.append(.seasonAverageOutOfRange(season))
        }
        if configuration.checksSaneRanges {
            for (feature, range) in Self.saneRanges {
                if let value = features[feature], value.isFinite, !range.contains(value) {
                    problems.append(.featureOutOfSaneRange(name: feature.name, value: value, range: range))
                }
            }
        }
        appendLineProblems(input.lineValues, to: &problems)
        appendRecentGameProblems(input.recentGames, to: &problems)
        return problems
    }

    private func appendLineProblems(_ lines: [LineValue], to problems: inout [ValidationProblem]) {
        if lines.count > configuration.maximumLineCount {
            problems.append(.tooManyLines(count: lines.count, maximum: configuration.maximumLineCount))
        }
        for (index, line) in lines.enumerated() {
            let value = line.rawValue
            if !value.isFinite || value < 0 || value > 100 {
                problems.append(.invalidLine(value))
            } else if lines[..<index].contains(line) {
                problems.append(.duplicateLine(value))
            }
        }
    }

    private func appendRecentGameProblems(_ games: [RecentGame], to problems: inout [ValidationProblem]) {
        for (index, game) in games.enumerated() {
            if !game.points.isFinite || game.points < 0 {
                problems.append(.invalidRecentGame(index: index, field: "points", value: game.points))
            }
            for (field, value) in Self.optionalNumbers(of: game) where value.map({ !$0.isFinite }) ?? false {
                problems.append(.invalidRecentGame(index: index, field: field, value: value ?? 0))
            }
        }
    }

    private static func optionalNumbers(of game: RecentGame)
        -> KeyValuePairs<String, Double?> {
        ["opponent_def_rating_last_15": game.opponentDefRatingLast15, "points_avg_last_5": game.pointsAvgLast5,
         "points_avg_season": game.pointsAvgSeason]
    }
}
