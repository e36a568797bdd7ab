/// The query parameters of a landing URL (a full URL or a path with a
/// query, as Shopify's `landing_site`), decoded as a browser's
/// `URLSearchParams` decodes them: `+` is a space, `%XX` a byte, and a
/// parameter whose name or value is not UTF-8 after decoding is dropped.
/// Pure.
public enum URLQuery {
    /// The parameters of `url`'s query (before any `#`), in order of
    /// appearance; parameters without `=` are left out.
    public static func parameters(in url: String) -> [(name: String, value: String)] {
        let utf8 = Array(url.utf8)
        guard let question = utf8.firstIndex(of: UInt8(ascii: "?")) else { return [] }
        var query = utf8[(question + 1)...]
        if let hash = query.firstIndex(of: UInt8(ascii: "#")) { query = query[..<hash] }
        var found: [(name: String, value: String)] = []
        for pair in query.split(separator: UInt8(ascii: "&")) {
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")),
                let name = formDecode(pair[..<equals]), let value = formDecode(pair[(equals + 1)...])
            else { continue }
            found.append((name, value))
        }
        return found
    }

    /// Form-decodes one query component; `nil` when the bytes are not UTF-8.
    static func formDecode(_ component: ArraySlice<UInt8>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.count)
        var index = component.startIndex
        while index < component.endIndex {
            let byte = component[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%"), index + 2 < component.endIndex,
                let high = hexValue(component[index + 1]), let low = hexValue(component[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - 0x30
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - 0x61 + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - 0x41 + 10
        default: nil
        }
    }
}
