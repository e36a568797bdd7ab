/// Keeps, of a Prometheus text exposition, the samples labelled with one
/// source (`GET /metrics?source=shop-eu`), with the `# HELP` and `# TYPE`
/// lines of the families that still have samples. Series without a `source`
/// label (per destination or process-wide) are left out: they are not that
/// source's. Pure.
enum PrometheusSourceFilter {
    /// The lines of `text` that belong to `source` (a configured name).
    static func filter(_ text: String, source: String) -> String {
        let needle = "source=\"" + escape(source) + "\""
        var out: [Substring] = []
        var pendingComments: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") {
                // A new family starts: comments wait until one of its samples is kept.
                if line.hasPrefix("# HELP") || (line.hasPrefix("# TYPE") && !(pendingComments.last?.hasPrefix("# HELP") ?? false)) {
                    pendingComments = []
                }
                pendingComments.append(line)
                continue
            }
            guard let open = line.firstIndex(of: "{"), let close = line[open...].firstIndex(of: "}") else { continue }
            let labels = line[line.index(after: open)..<close]
            guard labels.hasPrefix(needle) || labels.contains("," + needle) else { continue }
            out += pendingComments
            pendingComments = []
            out.append(line)
        }
        return out.isEmpty ? "" : out.joined(separator: "\n") + "\n"
    }

    /// A label value as the exposition format escapes it.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
