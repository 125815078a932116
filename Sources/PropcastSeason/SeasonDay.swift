import PropcastModels
import PropcastStore

/// Everything generated for one game date, ready to be written.
struct SeasonDay: Sendable {
    var date: GameDate
    var features: [FeatureRecord] = []
    var contexts: [ContextRecord] = []
    var results: [ResultRecord] = []
}
