/// Normalizes dates of birth to `YYYYMMDD` (Meta, Snap, Pinterest).
///
/// Accepted: `YYYYMMDD`; `YYYY-MM-DD` (also with `/` or `.`, and an ISO time
/// after it); `D.M.YYYY` (day first, as written with dots); `M/D/YYYY` or
/// `D/M/YYYY` (also with `-`), resolved by whichever number exceeds 12, else
/// by the country's convention (month first in the US and a few others);
/// English month names (`16 Feb 1997`, `February 16, 1997`). Two-digit years
/// are dropped: their century is a guess.
enum DateOfBirthNormalizer {
    /// Countries that write numeric dates month first.
    private static let monthFirst: Set<String> = ["US", "PR", "GU", "VI", "AS", "MP", "UM", "PH", "FM", "MH", "PW"]
    /// Countries where both orders are common: an ambiguous date is dropped.
    private static let eitherOrder: Set<String> = ["CA"]
    private static let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    /// `YYYYMMDD`, or why the value was dropped.
    static func normalize(_ raw: String, country: CountryCode?) -> NormalizationResult {
        let text = String(String.UnicodeScalarView(UnicodeText.trimmed(raw))).lowercased()
        if text.isEmpty { return .dropped(.empty) }
        var body = text[...]
        if let t = body.firstIndex(where: { $0 == "t" || $0 == " " }), body.distance(from: body.startIndex, to: t) == 10 {
            body = body[..<t]  // ISO 8601 date-time: keep the date
        }
        let tokens = body.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let separator = body.first(where: { !$0.isLetter && !$0.isNumber && $0 != " " && $0 != "," })
        if tokens.count == 1, let only = tokens.first, only.count == 8, only.allSatisfy(\.isASCIINumber) {
            return make(year: Int(only.prefix(4)), month: Int(only.dropFirst(4).prefix(2)), day: Int(only.suffix(2)))
        }
        guard tokens.count == 3 else { return .dropped(.invalidDate) }
        if let monthIndex = tokens.firstIndex(where: { $0.first?.isLetter == true }) {
            return named(tokens, monthIndex: monthIndex)
        }
        guard tokens.allSatisfy({ $0.allSatisfy(\.isASCIINumber) }) else { return .dropped(.invalidDate) }
        let numbers = tokens.compactMap { Int($0) }
        guard numbers.count == 3 else { return .dropped(.invalidDate) }
        if tokens[0].count == 4 { return make(year: numbers[0], month: numbers[1], day: numbers[2]) }
        guard tokens[2].count == 4 else { return .dropped(.invalidDate) }
        let (a, b, year) = (numbers[0], numbers[1], numbers[2])
        if separator == "." || a > 12 { return make(year: year, month: b, day: a) }
        if b > 12 { return make(year: year, month: a, day: b) }
        if a == b { return make(year: year, month: a, day: b) }
        guard let country, !eitherOrder.contains(country.alpha2) else { return .dropped(.ambiguousDate) }
        return monthFirst.contains(country.alpha2)
            ? make(year: year, month: a, day: b) : make(year: year, month: b, day: a)
    }

    /// `16 feb 1997`, `feb 16 1997`, `1997 feb 16`.
    private static func named(_ tokens: [String], monthIndex: Int) -> NormalizationResult {
        let name = tokens[monthIndex]
        guard name.count >= 3, let month = months.firstIndex(where: { name.hasPrefix($0) }),
            name.allSatisfy(\.isLetter)
        else { return .dropped(.invalidDate) }
        let others = tokens.enumerated().filter { $0.offset != monthIndex }.map(\.element)
        guard others.allSatisfy({ $0.allSatisfy(\.isASCIINumber) }),
            let yearText = others.first(where: { $0.count == 4 }),
            let dayText = others.first(where: { $0.count <= 2 })
        else { return .dropped(.invalidDate) }
        return make(year: Int(yearText), month: month + 1, day: Int(dayText))
    }

    private static func make(year: Int?, month: Int?, day: Int?) -> NormalizationResult {
        guard let year, let month, let day, (1900...2099).contains(year), (1...12).contains(month),
            (1...daysIn(month: month, year: year)).contains(day)
        else { return .dropped(.invalidDate) }
        let digits = [year / 1000, year / 100 % 10, year / 10 % 10, year % 10, month / 10, month % 10, day / 10, day % 10]
        return .value(String(decoding: digits.map { UInt8(0x30 + $0) }, as: UTF8.self))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Character {
    /// `0`…`9` only (not other scripts' digits).
    fileprivate var isASCIINumber: Bool { isASCII && isWholeNumber }
}
