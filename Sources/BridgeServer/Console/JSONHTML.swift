import BridgeCore
import Foundation

/// Any JSON answer of the admin API as HTML: objects as definition lists
/// (keys sorted), arrays as ordered lists, every value escaped. Pages that
/// show a journey or a reconciliation report render the route's own JSON,
/// so the console shows exactly what the API answers.
enum JSONHTML {
    static func render(_ value: JSONValue, depth: Int = 0) -> HTML {
        guard depth < 12 else { return "…" }
        switch value {
        case .null: return "<span class=\"muted\">none</span>"
        case .bool(let flag): return flag ? "yes" : "no"
        case .number(let text): return "<span class=\"mono\">\(text)</span>"
        case .string(let text): return text.isEmpty ? "<span class=\"muted\">(empty)</span>" : "\(text)"
        case .array(let items):
            guard !items.isEmpty else { return "<span class=\"muted\">none</span>" }
            return "<ol class=\"json\">\(items.map { item -> HTML in "<li>\(render(item, depth: depth + 1))</li>" })</ol>"
        case .object(let members):
            guard !members.isEmpty else { return "<span class=\"muted\">none</span>" }
            let rows = members.keys.sorted().map { key -> HTML in
                "<dt>\(key.replacingOccurrences(of: "_", with: " "))</dt><dd>\(render(members[key] ?? .null, depth: depth + 1))</dd>"
            }
            return "<dl class=\"json\">\(rows)</dl>"
        }
    }
}
