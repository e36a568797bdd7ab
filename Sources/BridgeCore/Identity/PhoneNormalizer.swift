/// How a platform wants a phone number written before hashing.
public enum PhoneFormat: Sendable, Hashable {
    /// Calling code and national number, digits only (Meta, Snap, Pinterest).
    case digits
    /// E.164 with the leading `+` (Google, TikTok, Reddit).
    case plusE164
}

/// Normalizes phone numbers: digits with the calling code and without the
/// national trunk prefix, parsed with the address country (or a default
/// region) when the number carries no calling code.
enum PhoneNormalizer {
    /// The normalized phone number in `format`, or why it was dropped.
    static func normalize(_ raw: String, region: PhoneRegion?, format: PhoneFormat) -> NormalizationResult {
        let extracted: (digits: [UInt8], hasPlus: Bool)
        switch extract(raw) {
        case .success(let value): extracted = value
        case .failure(let reason): return .dropped(reason)
        }
        switch PhoneNumberParser.parse(digits: extracted.digits, hasPlus: extracted.hasPlus, region: region) {
        case .failure(let reason):
            return .dropped(reason)
        case .success(let parsed):
            let plus = format == .plusE164
            let length = parsed.callingCode.count + parsed.nationalNumber.count + (plus ? 1 : 0)
            return .value(String(unsafeUninitializedCapacity: length) { out in
                var i = 0
                if plus { out[0] = UInt8(ascii: "+"); i = 1 }
                for digit in parsed.callingCode { out[i] = digit; i += 1 }
                for digit in parsed.nationalNumber { out[i] = digit; i += 1 }
                return i
            })
        }
    }

    /// The digits of `raw` and whether it started with `+`; leading text such
    /// as `Tel:` is skipped and an extension (`ext. 12`, `x12`, `#12`, `;ext=12`,
    /// `,12`) is cut off. Any other letter or symbol makes the number invalid.
    static func extract(_ raw: String) -> Result<(digits: [UInt8], hasPlus: Bool), DropReason> {
        if let fast = ASCIIBytes.withBytes(raw, extractPlainASCII) { return fast }
        return extractUnicode(raw)
    }

    /// Fast path for ASCII numbers made only of digits, `+` and separators
    /// (after any leading text); `nil` sends everything else to the Unicode path.
    private static func extractPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<(digits: [UInt8], hasPlus: Bool), DropReason>? {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var hasPlus = false
        for byte in bytes {
            switch byte {
            case 0x30...0x39:
                digits.append(byte)
                if digits.count > 24 { return .failure(.invalidPhone) }
            case UInt8(ascii: "+"):
                guard digits.isEmpty, !hasPlus else { return .failure(.invalidPhone) }
                hasPlus = true
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "/"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "~"), 0x09, 0x0A, 0x0D:
                continue
            default:
                return nil
            }
        }
        guard !digits.isEmpty else { return nil }
        return .success((digits, hasPlus))
    }

    /// The general path: any script's digits, leading text, extensions.
    private static func extractUnicode(_ raw: String) -> Result<(digits: [UInt8], hasPlus: Bool), DropReason> {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var hasPlus = false
        var sawContent = false
        let scalars = raw.unicodeScalars
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let scalar = scalars[index]
            if let digit = asciiDigit(scalar) {
                digits.append(digit)
                sawContent = true
                if digits.count > 24 { return .failure(.invalidPhone) }
            } else if scalar == "+" || scalar == "\u{FF0B}" {
                guard digits.isEmpty, !hasPlus else { return .failure(.invalidPhone) }
                hasPlus = true
                sawContent = true
            } else if isSeparator(scalar) {
                // spaces, dashes, dots, brackets, slashes: formatting only
            } else if !sawContent {
                // leading text such as "Tel:" (libphonenumber skips it too)
            } else if isExtension(scalars[index...]) {
                break
            } else {
                return .failure(.invalidPhone)
            }
            index = scalars.index(after: index)
        }
        if !sawContent { return .failure(UnicodeText.trimmed(raw).isEmpty ? .empty : .invalidPhone) }
        guard !digits.isEmpty else { return .failure(.invalidPhone) }
        return .success((digits, hasPlus))
    }

    /// An ASCII digit for any decimal digit (fullwidth, Arabic-Indic, …).
    @inline(__always)
    private static func asciiDigit(_ scalar: Unicode.Scalar) -> UInt8? {
        if (0x30...0x39).contains(scalar.value) { return UInt8(scalar.value) }
        guard scalar.value >= 0x80, scalar.properties.numericType == .decimal,
            let value = scalar.properties.numericValue, (0...9).contains(value)
        else { return nil }
        return 0x30 + UInt8(value)
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "-", ".", "(", ")", "/", "[", "]", "~", "\t", "\n", "\r": return true
        default:
            guard !scalar.isASCII else { return false }
            return UnicodeText.isTrimmable(scalar)
                || scalar.properties.generalCategory == .dashPunctuation
                || scalar.properties.generalCategory == .openPunctuation
                || scalar.properties.generalCategory == .closePunctuation
        }
    }

    /// `ext`, `extn`, `extension`, `x`, `#`, `;ext=`, `,` or `;` followed by
    /// digits and nothing else (a lone trailing `#` too).
    private static func isExtension(_ tail: Substring.UnicodeScalarView) -> Bool {
        let text = String(String.UnicodeScalarView(tail)).lowercased()
        let markers = [";ext=", "extension", "extn", "ext", "x", "#", ",", ";"]
        guard let marker = markers.first(where: { text.hasPrefix($0) }) else { return false }
        let rest = text.dropFirst(marker.count).drop { $0 == "." || $0 == ":" || $0 == " " || $0 == "=" }
        if rest.isEmpty { return marker == "#" }
        return rest.unicodeScalars.allSatisfy { (0x30...0x39).contains($0.value) || $0 == " " || $0 == "#" }
    }
}
