/// Text shared by the batch summary and `batch status`: per kind of gap a count line, then
/// the reasons grouped by rule with how many players each hit and up to three examples with
/// their own values ("7 players: feature_quality_score is below 70.0, e.g. jarendosunmu 55.6").
enum CoverageText {
    /// Count lines for skipped, failed and missing players, each with its grouped reasons.
    static func gapLines(_ coverage: CoverageReport) -> [String] {
        var lines: [String] = []
        func group(_ label: String, _ gaps: [CoverageReport.Gap], extra: Int = 0) {
            lines.append("  " + label.padding(toLength: 30, withPad: " ", startingAt: 0) + String(gaps.count + extra).leftPadded(to: 8))
            let groups = ReasonGroup.groups(of: gaps)
            for reason in groups.prefix(5) { lines.append("      " + reason.line) }
            if groups.count > 5 { lines.append("      … and \(groups.count - 5) more reasons (batch status --json lists every player)") }
        }
        group("players skipped (not covered)", coverage.skipped)
        group("players failed", coverage.failed)
        group("players missing", coverage.missing, extra: coverage.playersWithoutFeatures)
        if coverage.playersWithoutFeatures > 0 {
            lines.append("      \(coverage.playersWithoutFeatures) scheduled players have no features in the store")
        }
        return lines
    }
}

/// Gaps with the same reason once each player's own value is taken out of it: the rule
/// (`feature_quality_score is below 70.0`), and per player the value (`55.6`).
struct ReasonGroup {
    var rule: String
    var examples: [(player: String, value: String?)]
    var count: Int

    /// `7 players: <rule>, e.g. a 55.6, b 61.2, c 40.1`.
    var line: String {
        let shown = examples.prefix(3).map { [$0.player, $0.value].compactMap { $0 }.joined(separator: " ") }
        return "\(count) player\(count == 1 ? "" : "s"): \(rule), e.g. " + shown.joined(separator: ", ")
    }

    /// The groups of `gaps`, most players first (then by rule), examples in the gaps' order.
    static func groups(of gaps: [CoverageReport.Gap]) -> [ReasonGroup] {
        var byRule: [String: ReasonGroup] = [:]
        var order: [String] = []
        for gap in gaps {
            let (rule, value) = split(gap.reason)
            if byRule[rule] == nil {
                byRule[rule] = ReasonGroup(rule: rule, examples: [], count: 0)
                order.append(rule)
            }
            byRule[rule]?.count += 1
            if (byRule[rule]?.examples.count ?? 0) < 3 { byRule[rule]?.examples.append((gap.player, value)) }
        }
        return order.compactMap { byRule[$0] }.enumerated()
            .sorted { ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset) }.map(\.element)
    }

    /// The reason without the player's own value, and that value: the number a validation
    /// reason states about the player (`feature_quality_score 55.6 is below 70.0`,
    /// `feature pace_score = 900.0 is outside …`, `7 lines offered, …`). Other reasons stay whole.
    static func split(_ reason: String) -> (rule: String, value: String?) {
        var words = reason.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let index = words.indices.first { index in
            guard Double(words[index]) != nil else { return false }
            let next = index + 1 < words.count ? words[index + 1] : ""
            return next == "is" || next == "lines" || (index > 0 && words[index - 1] == "=")
        }
        guard let index else { return (reason, nil) }
        let value = words.remove(at: index)
        if index > 0, words[index - 1] == "=" { words.remove(at: index - 1) }
        return (words.joined(separator: " "), value)
    }
}
