/// The game situation the similarity system compares (SYSTEMS.md §6): opponent tier, rest
/// bucket, venue and recent form — for the game being predicted or for a past game.
public struct SimilarityContext: Sendable, Hashable {
    /// Opponent strength from `opponent_def_rating_last_15`, in adjacency order.
    public enum OpponentTier: Int, Sendable, Hashable {
        case elite, average, weak

        /// < 110 `tier_1_elite`, < 115 `tier_2_average`, else `tier_3_weak`.
        public init(defRating: Double) {
            self = defRating < 110 ? .elite : (defRating < 115 ? .average : .weak)
        }

        /// The upstream label, e.g. `tier_1_elite`.
        public var label: String {
            switch self {
            case .elite: "tier_1_elite"
            case .average: "tier_2_average"
            case .weak: "tier_3_weak"
            }
        }
    }

    /// Days of rest, bucketed, in adjacency order.
    public enum RestBucket: Int, Sendable, Hashable {
        case backToBack, oneDayRest, twoDaysRest, wellRested

        /// From the integer part of days_rest (Python `int()` truncates toward zero):
        /// 0 back-to-back, 1 one day, 2 two days, anything else well rested.
        public init(daysRest: Double) {
            switch daysRest.rounded(.towardZero) {
            case 0: self = .backToBack
            case 1: self = .oneDayRest
            case 2: self = .twoDaysRest
            default: self = .wellRested
            }
        }
    }

    /// Scoring form relative to the season average.
    public enum Form: Sendable, Hashable {
        case hot, normal, cold

        /// last_5 − season ≥ 3 hot, ≤ −3 cold, else normal; unknown → normal.
        public init(last5: Double?, season: Double?) {
            guard let last5, let season else { self = .normal; return }
            let difference = last5 - season
            self = difference >= 3 ? .hot : (difference <= -3 ? .cold : .normal)
        }
    }

    /// The opponent's tier.
    public var tier: OpponentTier
    /// The rest bucket.
    public var rest: RestBucket
    /// Whether the game is at home.
    public var isHome: Bool
    /// The player's recent form.
    public var form: Form

    /// Creates a context.
    public init(tier: OpponentTier, rest: RestBucket, isHome: Bool, form: Form) {
        self.tier = tier
        self.rest = rest
        self.isHome = isHome
        self.form = form
    }

    /// The game being predicted, with the defaults of §6 for absent features
    /// (opponent rating 112, days rest 1, away).
    public init(current features: FeatureSet) {
        self.init(
            tier: OpponentTier(defRating: features.value(.opponentDefRatingLast15, default: 112)),
            rest: RestBucket(daysRest: features.value(.daysRest, default: 1)),
            isHome: features.value(.isHome, default: 0) != 0,
            form: Form(last5: features[.pointsAvgLast5], season: features[.pointsAvgSeason]))
    }

    /// A past game, with the defaults of §6 (unknown tier → average, days rest 1, away,
    /// unknown form → normal).
    public init(past game: RecentGame) {
        self.init(
            tier: game.opponentDefRatingLast15.map(OpponentTier.init(defRating:)) ?? .average,
            rest: RestBucket(daysRest: Double(game.daysRest ?? 1)),
            isHome: game.isHome ?? false,
            form: Form(last5: game.pointsAvgLast5, season: game.pointsAvgSeason))
    }

    /// Similarity 0–100: opponent (same 40, adjacent 20, else 0) + rest (same 30, adjacent 15,
    /// else 0) + venue (same 15, else 0) + form (same 15, else 5).
    public func similarity(to other: SimilarityContext) -> Int {
        let tierDistance = abs(tier.rawValue - other.tier.rawValue)
        let restDistance = abs(rest.rawValue - other.rest.rawValue)
        let opponentScore = tierDistance == 0 ? 40 : (tierDistance == 1 ? 20 : 0)
        let restScore = restDistance == 0 ? 30 : (restDistance == 1 ? 15 : 0)
        let venueScore = isHome == other.isHome ? 15 : 0
        let formScore = form == other.form ? 15 : 5
        return opponentScore + restScore + venueScore + formScore
    }
}
