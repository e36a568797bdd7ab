import Foundation

/// Unicode helpers shared by the normalizers' slow (non-ASCII) paths.
///
/// Semantics follow the platforms' Python reference implementations where
/// Swift differs: lowercasing applies the Final_Sigma rule like Python's
/// `str.lower()`, and trimming removes what Python's `strip()` removes plus
/// zero-width characters, which a pasted value can carry invisibly.
enum UnicodeText {
    /// Whitespace (Unicode `White_Space`, plus the C0 separators Python's
    /// `isspace()` counts) and zero-width format characters (ZWSP, ZWNJ, ZWJ,
    /// word joiner, BOM).
    static func isTrimmable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1C...0x1F, 0x200B...0x200D, 0x2060, 0xFEFF: return true
        default: return scalar.properties.isWhitespace
        }
    }

    /// The scalars of `value` without leading and trailing trimmable ones.
    static func trimmed(_ value: String) -> ArraySlice<Unicode.Scalar> {
        let scalars = Array(value.unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end, isTrimmable(scalars[start]) { start += 1 }
        while end > start, isTrimmable(scalars[end - 1]) { end -= 1 }
        return scalars[start..<end]
    }

    /// Full Unicode lowercase mapping, like Python's `str.lower()`: capital
    /// sigma becomes final `ς` at the end of a word and `σ` elsewhere
    /// (Swift's `lowercased()` always gives `σ`).
    static func lowercased(_ scalars: some Collection<Unicode.Scalar>) -> [Unicode.Scalar] {
        let input = Array(scalars)
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(input.count)
        for (i, scalar) in input.enumerated() {
            if scalar.isASCII {
                out.append((0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(UInt8(scalar.value) | 0x20) : scalar)
            } else if scalar.value == 0x03A3 {
                out.append(isFinalSigma(input, at: i) ? "\u{03C2}" : "\u{03C3}")
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    /// Unicode's Final_Sigma context: a cased letter before (skipping
    /// case-ignorables) and no cased letter after (skipping case-ignorables).
    private static func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        var j = index - 1
        while j >= 0, scalars[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, scalars[j].properties.isCased else { return false }
        var k = index + 1
        while k < scalars.count, scalars[k].properties.isCaseIgnorable { k += 1 }
        return !(k < scalars.count && scalars[k].properties.isCased)
    }

    /// `value` in Unicode Normalization Form C, the form platforms hash.
    static func nfc(_ value: String) -> String {
        // Below U+0300 (Basic Latin to Latin Extended-B) there are no combining
        // marks and nothing NFC composes or decomposes: already NFC.
        value.unicodeScalars.allSatisfy { $0.value < 0x300 } ? value : value.precomposedStringWithCanonicalMapping
    }

    /// `value` in NFKD without combining marks: the accent-free form used for lookup keys.
    static func foldedForLookup(_ value: String) -> [Unicode.Scalar] {
        value.decomposedStringWithCompatibilityMapping.unicodeScalars.filter { !isMark($0) }
    }

    /// A string made of `scalars`, in NFC.
    static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return nfc(String(view))
    }

    /// General category P* (connector, dash, open, close, quote, other punctuation).
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// General category S* (math, currency, modifier and other symbols).
    static func isSymbol(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: return true
        default: return false
        }
    }

    /// General category L* (letters).
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// General category M* (combining marks, which belong to the letter before them).
    static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// A decimal digit in any script (general category Nd).
    static func isDecimalDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .decimalNumber
    }

    /// General category N* (decimal digits, letter numbers, other numbers).
    static func isNumber(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// Letters, marks and decimal digits: what "alphanumeric" keeps.
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || isMark(scalar) || isDecimalDigit(scalar)
    }
}
