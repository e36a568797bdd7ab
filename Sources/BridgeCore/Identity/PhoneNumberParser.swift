/// Parses a phone number into E.164 digits (calling code + national
/// significant number, no `+`) the way libphonenumber's `parse` does,
/// followed by its `is_possible_number` length check.
///
/// Differences from libphonenumber, on purpose and tested: a number without
/// `+` that starts with `00` is international even where the region's exit
/// code differs (Snap's documented rule, and what shoppers type); and
/// "viable national number" is judged by possible lengths rather than by the
/// full per-region regex, which keeps the table small and the parse fast.
/// A parsed phone number: E.164 is `callingCode` followed by `nationalNumber`.
struct ParsedPhone {
    /// The country calling code, ASCII digits.
    let callingCode: [UInt8]
    /// The national significant number, ASCII digits (leading zeros kept, as in Italy).
    let nationalNumber: ArraySlice<UInt8>
}

enum PhoneNumberParser {
    /// The longest national significant number libphonenumber accepts.
    static let maxNationalLength = 17

    /// The calling code and national number (E.164 without `+`), or why the number was dropped.
    /// - Parameters:
    ///   - digits: ASCII digits as typed, without `+` and punctuation.
    ///   - hasPlus: the number was written with a leading `+`.
    ///   - region: the numbering plan of the default region, if any.
    static func parse(
        digits: [UInt8], hasPlus: Bool, region: PhoneRegion?, plan: PhoneNumberingPlan = .shared
    ) -> Result<ParsedPhone, DropReason> {
        var international = hasPlus
        var number = digits[...]
        if !international, let region, let idd = longestPrefix(region.internationalPrefixes, of: number) {
            // libphonenumber: only an exit code if the next digit is not 0.
            if number.count > idd, number[number.startIndex + idd] != 0x30 {
                international = true
                number = number.dropFirst(idd)
            }
        }
        if !international, number.count > 2, number.starts(with: [0x30, 0x30]), number[number.startIndex + 2] != 0x30 {
            international = true
            number = number.dropFirst(2)
        }

        var metadata: PhoneRegion
        var national: ArraySlice<UInt8>
        if international {
            guard number.count > 2 else { return .failure(.invalidPhone) }
            // libphonenumber parses the rest with the calling code's main region.
            guard let (main, rest) = extractCallingCode(number, plan: plan) else { return .failure(.invalidPhone) }
            metadata = main
            national = rest
        } else {
            guard let region else { return .failure(.phoneCountryUnknown) }
            metadata = region
            national = number
            if number.starts(with: region.callingCode) {
                let potential = stripNationalPrefix(number.dropFirst(region.callingCode.count), region).number
                if (!region.isViableLength(number.count) && region.isViableLength(potential.count))
                    || region.checkLength(number.count) == .tooLong
                {
                    national = potential
                    if let main = plan.mainRegion(callingCode: region.callingCodeValue), main.region != region.region {
                        metadata = main
                    }
                }
            }
        }

        guard national.count >= 2 else { return .failure(.invalidPhone) }
        let stripped = stripNationalPrefix(national, metadata)
        if stripped.didStrip {
            switch metadata.checkLength(stripped.number.count) {
            case .tooShort, .possibleLocalOnly, .invalidLength: break
            case .possible, .tooLong: national = stripped.number
            }
        }
        guard national.count >= 2, national.count <= maxNationalLength,
            let main = plan.mainRegion(callingCode: metadata.callingCodeValue),
            main.checkLength(national.count) == .possible
        else { return .failure(.invalidPhone) }
        return .success(ParsedPhone(callingCode: metadata.callingCode, nationalNumber: national))
    }

    /// The longest of `prefixes` that `number` starts with, as a length.
    private static func longestPrefix(_ prefixes: [[UInt8]], of number: ArraySlice<UInt8>) -> Int? {
        var best: Int?
        for prefix in prefixes where prefix.count > (best ?? 0) && number.starts(with: prefix) {
            best = prefix.count
        }
        return best
    }

    /// libphonenumber's `_extract_country_code`: the first 1-3 digit prefix
    /// (not starting with 0) that is an assigned calling code.
    private static func extractCallingCode(
        _ number: ArraySlice<UInt8>, plan: PhoneNumberingPlan
    ) -> (PhoneRegion, ArraySlice<UInt8>)? {
        guard let first = number.first, first != 0x30 else { return nil }
        var value = 0
        for length in 1...3 where length <= number.count {
            value = value * 10 + Int(number[number.startIndex + length - 1] &- 0x30)
            if let region = plan.mainRegion(callingCode: value) {
                return (region, number.dropFirst(length))
            }
        }
        return nil
    }

    /// libphonenumber's `_maybe_strip_national_prefix_carrier_code`.
    static func stripNationalPrefix(
        _ number: ArraySlice<UInt8>, _ region: PhoneRegion
    ) -> (number: ArraySlice<UInt8>, didStrip: Bool) {
        guard !number.isEmpty else { return (number, false) }
        switch region.nationalPrefix {
        case .none:
            return (number, false)
        case .literals(let literals):
            guard let length = longestPrefix(literals, of: number) else { return (number, false) }
            let rest = number.dropFirst(length)
            if region.isViableLength(number.count) && !region.isViableLength(rest.count) { return (number, false) }
            return (rest, true)
        case .pattern(let pattern, let transform):
            return PhonePrefixPattern.strip(number, pattern: pattern, transform: transform, region: region)
        }
    }
}
