/// `# HELP` lines for a Prometheus text exposition: swift-prometheus writes `# TYPE` only.
public enum PrometheusHelp {
    /// `exposition` with `# HELP name text` before the `# TYPE` line of every metric `texts` names.
    public static func annotate(_ exposition: [UInt8], texts: [String: String]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(exposition.count + texts.count * 80)
        for line in exposition.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.starts(with: Array("# TYPE ".utf8)),
               let name = String(decoding: line.dropFirst(7), as: UTF8.self).split(separator: " ").first,
               let help = texts[String(name)] {
                out += Array("# HELP \(name) \(help)\n".utf8)
            }
            out += line
            out.append(UInt8(ascii: "\n"))
        }
        if exposition.last == UInt8(ascii: "\n") || exposition.isEmpty { out.removeLast() }
        return out
    }
}
