import BridgeCore

/// Ad click ids carried in a landing URL's query string (Shopify's
/// `landing_site`, WooCommerce's order-attribution session entry) or in
/// merchant-named attributes (`note_attributes`, order meta).
///
/// Query parameters are decoded as a browser's `URLSearchParams` does (`+` is a
/// space, `%XX` a byte, invalid UTF-8 drops the parameter), so the bridge
/// reads the same value the browser pixel sees.
enum ClickIDQuery {
    /// The click-id kind a query parameter name stands for: the canonical
    /// names, plus Snapchat's `ScCid`. Case-sensitive, as the platforms are.
    static func kind(forParameter name: String) -> ClickIDKind? {
        if name == "ScCid" { return .sccid }
        return ClickIDKind(rawValue: name)
    }

    /// The click-id kind an attribute or meta key stands for: a parameter name,
    /// optionally prefixed with `_` (`_fbc`, `_fbp`, `ttclid`).
    static func kind(forAttribute name: String) -> ClickIDKind? {
        let bare = name.hasPrefix("_") ? String(name.dropFirst()) : name
        return kind(forParameter: bare)
    }

    /// The click ids in the query of `url` (a full URL or a path with a query),
    /// in order of appearance. Values that are blank or too long are skipped.
    static func clickIDs(in url: String) -> [(ClickIDKind, String)] {
        guard let questionMark = url.utf8.firstIndex(of: UInt8(ascii: "?")) else { return [] }
        var query = url.utf8[url.utf8.index(after: questionMark)...]
        if let hash = query.firstIndex(of: UInt8(ascii: "#")) { query = query[..<hash] }
        var found: [(ClickIDKind, String)] = []
        for pair in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let rawName = equals.map { pair[..<$0] } ?? pair[...]
            guard let name = decode(rawName), let kind = kind(forParameter: name) else { continue }
            guard let equals, let value = decode(pair[pair.index(after: equals)...]) else { continue }
            let trimmed = value.trimmingWhitespace()
            guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= SourceMapping.Limit.clickID else { continue }
            found.append((kind, trimmed))
        }
        return found
    }

    /// Form-decodes one query component; `nil` when the bytes are not UTF-8.
    static func decode(_ component: Substring.UTF8View.SubSequence) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.count)
        var index = component.startIndex
        while index < component.endIndex {
            let byte = component[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%"),
                let high = component.index(index, offsetBy: 1, limitedBy: component.endIndex), high < component.endIndex,
                let low = component.index(high, offsetBy: 1, limitedBy: component.endIndex), low < component.endIndex,
                let h = hexValue(component[high]), let l = hexValue(component[low])
            {
                bytes.append(h << 4 | l)
                index = low
            } else {
                bytes.append(byte)
            }
            index = component.index(after: index)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - 0x30
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - 0x61 + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - 0x41 + 10
        default: return nil
        }
    }
}

extension ClientContext {
    /// Fills every click id found in the query of `url` (first value wins).
    mutating func fillClickIDs(fromURL url: String?) {
        guard let url else { return }
        for (kind, value) in ClickIDQuery.clickIDs(in: url) { fill(kind, bounded: value) }
    }
}
