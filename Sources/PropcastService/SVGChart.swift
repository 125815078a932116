/// Inline SVG charts for the dashboard: a bar per date (the season's coverage) and lines per
/// system over dates (grading). No script; titles give the exact values on hover.
enum SVGChart {
    /// One bar of the season chart.
    struct Bar {
        /// The x label (a date).
        var label: String
        /// The hover text beside the value.
        var detail: String
        /// 0–100.
        var value: Double
        var colour: String
        var link: String
    }

    /// One line of a line chart: a value (or a gap) per x position.
    struct Series {
        var name: String
        var colour: String
        var values: [Double?]
    }

    static let width = 1000.0
    static let height = 220.0
    static let margin = (left: 40.0, right: 10.0, top: 10.0, bottom: 30.0)

    /// Bars of 0–100 %, each a link; the axis shows 0, 50, 100 %.
    static func bars(id: String, title: String, _ bars: [Bar]) -> String {
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        let step = plotWidth / Double(max(1, bars.count))
        var svg = open(id: id, title: title) + axis(plotHeight: plotHeight, ticks: [0, 50, 100], suffix: "%", maximum: 100)
        for (index, bar) in bars.enumerated() {
            let barHeight = max(1, plotHeight * min(100, max(0, bar.value)) / 100)
            let x = margin.left + Double(index) * step
            svg += "<a href=\"\(HTML.escape(bar.link))\"><rect class=\"date-bar\" x=\"\(f(x + step * 0.1))\" "
                + "y=\"\(f(margin.top + plotHeight - barHeight))\" width=\"\(f(max(1, step * 0.8)))\" height=\"\(f(barHeight))\" "
                + "fill=\"\(bar.colour)\"><title>\(HTML.escape(bar.label)) \(HTML.escape(bar.detail)): \(HTML.number(bar.value))%</title></rect></a>"
        }
        svg += labels(bars.map(\.label), step: step)
        return svg + "</svg>"
    }

    /// Lines over the x positions `labels`, y from 0 to `maximum`, with a legend.
    static func lines(id: String, title: String, labels xLabels: [String], series: [Series], maximum: Double,
                      suffix: String) -> String {
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        let step = plotWidth / Double(max(1, xLabels.count - 1))
        var svg = open(id: id, title: title)
            + axis(plotHeight: plotHeight, ticks: [0, maximum / 2, maximum], suffix: suffix, maximum: maximum)
        for (number, line) in series.enumerated() {
            var points: [String] = []
            var segments: [String] = []
            for (index, value) in line.values.enumerated() {
                guard let value else {
                    if points.count > 1 { segments.append(points.joined(separator: " ")) }
                    points = []
                    continue
                }
                let y = margin.top + plotHeight - plotHeight * min(maximum, max(0, value)) / maximum
                points.append("\(f(margin.left + Double(index) * step)),\(f(y))")
            }
            if points.count > 1 { segments.append(points.joined(separator: " ")) }
            for segment in segments {
                svg += "<polyline class=\"series\" data-system=\"\(HTML.escape(line.name))\" fill=\"none\" "
                    + "stroke=\"\(line.colour)\" stroke-width=\"1.5\" points=\"\(segment)\"/>"
            }
            svg += "<text x=\"\(f(margin.left + 8 + Double(number) * 190))\" y=\"\(f(margin.top + 12))\" "
                + "style=\"fill:\(line.colour)\">■ \(HTML.escape(line.name))</text>"
        }
        svg += labels(xLabels, step: step, centred: false)
        return svg + "</svg>"
    }

    private static func open(id: String, title: String) -> String {
        "<svg id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" "
            + "role=\"img\" aria-label=\"\(HTML.escape(title))\"><title>\(HTML.escape(title))</title>"
    }

    private static func axis(plotHeight: Double, ticks: [Double], suffix: String, maximum: Double) -> String {
        ticks.map { tick in
            let y = margin.top + plotHeight - plotHeight * tick / maximum
            return "<line x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" "
                + "stroke=\"#ddd\"/><text x=\"\(f(margin.left - 4))\" y=\"\(f(y + 4))\" text-anchor=\"end\">"
                + "\(HTML.number(tick, digits: tick < 1 && tick > 0 ? 2 : 0))\(suffix)</text>"
        }.joined()
    }

    /// At most eight x labels, evenly spaced (dates as MM-DD).
    private static func labels(_ labels: [String], step: Double, centred: Bool = true) -> String {
        let every = max(1, (labels.count + 7) / 8)
        return labels.enumerated().filter { $0.offset % every == 0 }.map { index, label in
            let x = margin.left + Double(index) * step + (centred ? step / 2 : 0)
            return "<text x=\"\(f(x))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">\(HTML.escape(label.count == 10 ? String(label.dropFirst(5)) : label))</text>"
        }.joined()
    }

    private static func f(_ value: Double) -> String { "\((value * 10).rounded() / 10)" }
}
