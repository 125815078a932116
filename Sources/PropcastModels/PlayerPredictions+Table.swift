import Foundation

extension PlayerPredictions {
    /// The human-readable answer for one player (`propcast predict`): a row per system and line.
    public var table: String {
        var lines = ["\(player) \(gameDate) \(gameID)"]
        if let summary = skipSummary {
            lines.append("  player \(summary)")
            return lines.joined(separator: "\n")
        }
        lines.append("  " + pad("system", 24) + pad("line", 8) + pad("points", 9) + pad("conf", 8) + "call")
        for row in rows {
            let line = row.line.map { String(format: "%.1f", $0.rawValue) } ?? "-"
            lines.append("  " + pad(row.systemID.rawValue, 24) + pad(line, 8)
                + pad(String(format: "%.2f", row.predictedPoints), 9)
                + pad(String(format: "%.1f", row.confidenceScore), 8) + row.recommendation.rawValue)
        }
        for skip in skips {
            lines.append("  " + pad(skip.systemID.rawValue, 24) + "skipped: \(skip.reason)")
        }
        for failure in failures {
            lines.append("  " + pad(failure.systemID.rawValue, 24) + "failed: \(failure.reason)")
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
