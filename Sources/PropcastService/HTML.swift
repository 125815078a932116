/// The few HTML pieces the dashboard is made of: escaping, the page shell (inline CSS, no
/// external resources: it works on an air-gapped host), tables.
enum HTML {
    /// `text` safe inside an element or a quoted attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A whole page; `refresh` seconds makes the browser reload it (while a batch runs).
    static func page(title: String, refresh: Int?, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        \(refresh.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? "")
        <title>\(escape(title))</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1100px;color:#222;padding:0 1em}
        h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.1em;margin:1.4em 0 .4em;border-bottom:1px solid #ddd}
        table{border-collapse:collapse;margin:.3em 0}td,th{padding:.2em .7em;border-bottom:1px solid #eee;text-align:left}
        th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
        .state{display:inline-block;padding:0 .5em;border-radius:3px;color:#fff;font-weight:600}
        .FINISHED{background:#2e7d32}.RUNNING{background:#1565c0}.INTERRUPTED{background:#ef6c00}
        .NOT_STARTED{background:#757575}.DAMAGED,.FAILED{background:#c62828}.NO_GAMES{background:#9e9e9e}
        .bar{background:#eee;height:18px;width:100%;max-width:600px;border-radius:3px;overflow:hidden}
        .bar>div{background:#1565c0;height:100%}
        .up{color:#2e7d32;font-weight:600}.down{color:#c62828;font-weight:600}
        .alert{background:#ffebee;border-left:4px solid #c62828;padding:.3em .6em;margin:.3em 0}
        code{font-size:.9em}svg text{font:11px system-ui,sans-serif;fill:#444}
        a{color:#1565c0}nav a{margin-right:1em}
        </style></head><body>
        <nav><a href="/">Propcast coordinator</a><a href="/api/v1/dates">API</a><a href="/metrics">metrics</a></nav>
        \(body)
        </body></html>
        """
    }

    /// A table with a header row; cells are HTML already (escape text first).
    static func table(id: String, header: [String], rows: [[String]], numeric: Set<Int> = []) -> String {
        var html = "<table id=\"\(id)\"><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>" + row.enumerated().map { index, cell in
                numeric.contains(index) ? "<td class=\"n\">\(cell)</td>" : "<td>\(cell)</td>"
            }.joined() + "</tr>"
        }
        return html + "</tbody></table>"
    }

    /// A state badge.
    static func state(_ state: String) -> String {
        "<span class=\"state \(escape(state))\">\(escape(state))</span>"
    }

    /// A progress bar of `done` of `total`.
    static func progress(done: Int, total: Int) -> String {
        let percent = total > 0 ? min(100, Double(done) * 100 / Double(total)) : 0
        return "<div class=\"bar\" id=\"progress\" role=\"progressbar\" aria-valuenow=\"\(Int(percent))\">"
            + "<div style=\"width:\(Int(percent))%\"></div></div> \(done) / \(total) players"
    }

    /// `value` with `digits` decimals, or "–".
    static func number(_ value: Double?, digits: Int = 1) -> String {
        guard let value else { return "–" }
        let scale = pow10(digits)
        let rounded = (value * scale).rounded() / scale
        return digits == 0 ? "\(Int(rounded))" : "\(rounded)"
    }

    private static func pow10(_ digits: Int) -> Double { (0..<digits).reduce(1.0) { value, _ in value * 10 } }
}
