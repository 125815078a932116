/// One player's features for one game, resolved once from the names in ``PlayerInput/features``
/// into fixed slots so the systems never look names up in their hot paths.
///
/// Holds the 25 features of `v1_baseline_25` (SYSTEMS.md §1, in vector order) plus the two
/// names the upstream systems read that are not among the 25 (`games_played_last_7_days`,
/// `pct_free_throw`, SYSTEMS.md §3), each either present or absent, together with the
/// feature quality score (0–100) and the data source.
public struct FeatureSet: Sendable, Hashable {
    /// The feature version this set describes.
    public static let v1BaselineVersion = "v1_baseline_25"

    /// The 25 feature names of `v1_baseline_25`, in vector order (SYSTEMS.md §1).
    public static let v1BaselineNames: [String] = Feature.baseline.map(\.name)

    /// `features` in `v1_baseline_25` vector order, then any other names sorted (byte order for ASCII names) — the
    /// order of the wire request and of the canonical inputs behind fingerprints.
    public static func canonicalOrder(_ features: [String: Double]) -> [(name: String, value: Double)] {
        // One pass, one hash per name: this runs for every player's fingerprint and request.
        var baseline = [(name: String, value: Double)?](repeating: nil, count: v1BaselineNames.count)
        var others: [(name: String, value: Double)] = []
        for (name, value) in features {
            if let slot = baselineSlots[name] { baseline[slot] = (name, value) } else { others.append((name, value)) }
        }
        others.sort { $0.name < $1.name }
        return baseline.compactMap { $0 } + others
    }

    private static let baselineSlots = Dictionary(uniqueKeysWithValues: v1BaselineNames.enumerated().map { ($1, $0) })

    /// Value read for `games_played_last_7_days` when it is absent (SYSTEMS.md §3).
    public static let gamesPlayedLast7DaysFallback = 3.0
    /// Value read for `pct_free_throw` when it is absent (SYSTEMS.md §3; a percent-looking
    /// number among fractions — an upstream oddity kept on purpose, §10).
    public static let pctFreeThrowFallback = 12.0

    /// A feature slot. The first 25 cases are `v1_baseline_25` in vector order (their raw
    /// value is the vector index); the last two are the extra names of SYSTEMS.md §3.
    public enum Feature: Int, CaseIterable, Sendable, Hashable {
        case pointsAvgLast5, pointsAvgLast10, pointsAvgSeason, pointsStdLast10, minutesAvgLast10
        case fatigueScore, shotZoneMismatchScore, paceScore, usageSpikeScore
        case refereeFavorabilityScore, lookAheadPressureScore, matchupHistoryScore, momentumScore
        case opponentDefRatingLast15, opponentPaceLast15, isHome, daysRest, backToBack
        case paintRateLast10, midRangeRateLast10, threePtRateLast10, assistedRateLast10
        case teamPaceLast10, teamOffRatingLast10, usageRateLast10
        case gamesPlayedLast7Days, pctFreeThrow

        /// The 25 vector features, in order.
        public static let baseline: [Feature] = Array(allCases.prefix(25))

        /// The upstream feature name, e.g. `points_avg_last_5`.
        public var name: String {
            switch self {
            case .pointsAvgLast5: "points_avg_last_5"
            case .pointsAvgLast10: "points_avg_last_10"
            case .pointsAvgSeason: "points_avg_season"
            case .pointsStdLast10: "points_std_last_10"
            case .minutesAvgLast10: "minutes_avg_last_10"
            case .fatigueScore: "fatigue_score"
            case .shotZoneMismatchScore: "shot_zone_mismatch_score"
            case .paceScore: "pace_score"
            case .usageSpikeScore: "usage_spike_score"
            case .refereeFavorabilityScore: "referee_favorability_score"
            case .lookAheadPressureScore: "look_ahead_pressure_score"
            case .matchupHistoryScore: "matchup_history_score"
            case .momentumScore: "momentum_score"
            case .opponentDefRatingLast15: "opponent_def_rating_last_15"
            case .opponentPaceLast15: "opponent_pace_last_15"
            case .isHome: "is_home"
            case .daysRest: "days_rest"
            case .backToBack: "back_to_back"
            case .paintRateLast10: "paint_rate_last_10"
            case .midRangeRateLast10: "mid_range_rate_last_10"
            case .threePtRateLast10: "three_pt_rate_last_10"
            case .assistedRateLast10: "assisted_rate_last_10"
            case .teamPaceLast10: "team_pace_last_10"
            case .teamOffRatingLast10: "team_off_rating_last_10"
            case .usageRateLast10: "usage_rate_last_10"
            case .gamesPlayedLast7Days: "games_played_last_7_days"
            case .pctFreeThrow: "pct_free_throw"
            }
        }
    }

    /// Every slot with its name, resolved once.
    private static let slots: [(Feature, String)] = Feature.allCases.map { ($0, $0.name) }

    /// Slot values indexed by `Feature.rawValue`; 0 where absent (see `presence`).
    private var values: [Double]
    /// Bit `f.rawValue` set ⇔ feature `f` was given.
    private var presence: UInt32
    /// Feature quality score, 0–100.
    public var qualityScore: Double
    /// Where the features came from.
    public var dataSource: DataSource

    /// Resolves `features` by name into slots; names outside the 27 known ones are ignored.
    public init(features: [String: Double], qualityScore: Double, dataSource: DataSource) {
        var values = [Double](repeating: 0, count: Self.slots.count)
        var presence: UInt32 = 0
        for (feature, name) in Self.slots {
            if let value = features[name] {
                values[feature.rawValue] = value
                presence |= 1 << UInt32(feature.rawValue)
            }
        }
        self.values = values
        self.presence = presence
        self.qualityScore = qualityScore
        self.dataSource = dataSource
    }

    /// The features of a player input.
    public init(_ input: PlayerInput) {
        self.init(features: input.features, qualityScore: input.featureQualityScore, dataSource: input.dataSource)
    }

    /// The value of `feature`, or nil when it was not given.
    public subscript(feature: Feature) -> Double? {
        contains(feature) ? values[feature.rawValue] : nil
    }

    /// The value of `feature`, or `fallback` when it was not given.
    public func value(_ feature: Feature, default fallback: Double) -> Double {
        contains(feature) ? values[feature.rawValue] : fallback
    }

    /// Whether `feature` was given.
    public func contains(_ feature: Feature) -> Bool {
        presence & (1 << UInt32(feature.rawValue)) != 0
    }

    /// `data_quality` of SYSTEMS.md §3: 0.8 for `mock` data, else 1.0.
    public var dataQuality: Double { dataSource == .mock ? 0.8 : 1.0 }
}
