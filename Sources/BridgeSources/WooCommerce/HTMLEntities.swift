import BridgeCore

/// Decodes the HTML character references WooCommerce leaves in product names
/// (`Espresso &ndash; 1 kg`, `Caf&eacute;`, `&#8211;`, `&#x2013;`).
///
/// One pass, so `&amp;ndash;` becomes `&ndash;` (as a browser shows it).
/// Unknown names and invalid numbers (zero, surrogates, beyond U+10FFFF) are
/// left as written.
enum HTMLEntities {
    /// The named references WordPress and WooCommerce emit in practice.
    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "ndash": "\u{2013}", "mdash": "\u{2014}", "hellip": "\u{2026}", "times": "\u{D7}", "divide": "\u{F7}",
        "minus": "\u{2212}", "plusmn": "\u{B1}", "middot": "\u{B7}", "bull": "\u{2022}", "deg": "\u{B0}",
        "lsquo": "\u{2018}", "rsquo": "\u{2019}", "sbquo": "\u{201A}", "ldquo": "\u{201C}", "rdquo": "\u{201D}",
        "bdquo": "\u{201E}", "laquo": "\u{AB}", "raquo": "\u{BB}", "prime": "\u{2032}", "Prime": "\u{2033}",
        "euro": "\u{20AC}", "pound": "\u{A3}", "yen": "\u{A5}", "cent": "\u{A2}", "copy": "\u{A9}", "reg": "\u{AE}",
        "trade": "\u{2122}", "frac12": "\u{BD}", "frac14": "\u{BC}", "frac34": "\u{BE}", "sup2": "\u{B2}",
        "sup3": "\u{B3}", "micro": "\u{B5}", "szlig": "\u{DF}", "auml": "\u{E4}", "ouml": "\u{F6}", "uuml": "\u{FC}",
        "Auml": "\u{C4}", "Ouml": "\u{D6}", "Uuml": "\u{DC}", "eacute": "\u{E9}", "egrave": "\u{E8}",
        "Eacute": "\u{C9}", "aacute": "\u{E1}", "agrave": "\u{E0}", "iacute": "\u{ED}", "oacute": "\u{F3}",
        "uacute": "\u{FA}", "ntilde": "\u{F1}", "ccedil": "\u{E7}", "aring": "\u{E5}", "oslash": "\u{F8}",
        "aelig": "\u{E6}", "Aring": "\u{C5}", "Oslash": "\u{D8}", "AElig": "\u{C6}",
    ]

    /// `text` with its character references decoded.
    static func decode(_ text: String) -> String {
        guard text.containsBytes("&") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "&", let (scalar, length) = reference(in: scalars, at: i) {
                out.append(scalar)
                i += length
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }

    /// The reference starting at `start` (an `&`) and its length including
    /// `&` and `;`, or `nil` when there is none.
    static func reference(in scalars: [Unicode.Scalar], at start: Int) -> (Unicode.Scalar, Int)? {
        var end = start + 1
        while end < scalars.count, end - start <= 10, scalars[end] != ";" { end += 1 }
        guard end < scalars.count, scalars[end] == ";", end > start + 1 else { return nil }
        let body = String(String.UnicodeScalarView(scalars[(start + 1)..<end]))
        let length = end - start + 1
        if let scalar = named[body] { return (scalar, length) }
        guard body.hasPrefix("#") else { return nil }
        var digits = Substring(body.dropFirst())
        var radix = 10
        if digits.first == "x" || digits.first == "X" {
            radix = 16
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 7, let value = UInt32(digits, radix: radix), value != 0,
            let scalar = Unicode.Scalar(value)
        else { return nil }
        return (scalar, length)
    }
}
