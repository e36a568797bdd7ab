/// Reads an HTTP `Retry-After` header (RFC 9110 §10.2.3) into the instant
/// before which the client should not try again.
public enum RetryAfter {
    /// The instant the header asks us to wait for, or `nil` when the value is
    /// not one of the forms RFC 9110 defines.
    ///
    /// Accepts `delay-seconds` (`120`, relative to `now`) and the three
    /// HTTP-date forms recipients must accept: IMF-fixdate
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
    /// (`Sunday, 06-Nov-94 08:49:37 GMT`, two-digit years read as the nearest
    /// year not more than 50 years ahead of `now`) and asctime
    /// (`Sun Nov  6 08:49:37 1994`). The weekday is not checked. A date in the
    /// past is returned as is: as a floor it simply has no effect.
    public static func parse(_ value: String, now: Timestamp) -> Timestamp? {
        let text = value.trimmingWhitespace()
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // More than ten digits is more than three centuries: treat as absurd.
            guard text.utf8.count <= 10, let seconds = Int64(text) else { return nil }
            return now.advanced(by: .seconds(seconds))
        }
        return httpDate(text, now: now)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func httpDate(_ text: String, now: Timestamp) -> Timestamp? {
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var day: Int?
        var monthName: String?
        var year: Int?
        var time: String?
        if tokens.count == 6, tokens[0].hasSuffix(","), tokens[5] == "GMT" {
            // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
            guard tokens[1].count == 2, tokens[3].count == 4 else { return nil }
            (day, monthName, year, time) = (Int(tokens[1]), tokens[2], Int(tokens[3]), tokens[4])
        } else if tokens.count == 4, tokens[0].hasSuffix(","), tokens[3] == "GMT" {
            // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
            let parts = tokens[1].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, parts[0].count == 2, parts[2].count == 2, let yy = Int(parts[2]) else { return nil }
            let nowYear = Timestamp.civilFromDays(Int(now.secondsSinceEpoch / 86_400)).0
            var full = nowYear - nowYear % 100 + yy
            if full > nowYear + 50 { full -= 100 }
            (day, monthName, year, time) = (Int(parts[0]), parts[1], full, tokens[2])
        } else if tokens.count == 5, !tokens[0].hasSuffix(",") {
            // asctime: Sun Nov  6 08:49:37 1994
            guard tokens[4].count == 4 else { return nil }
            (day, monthName, year, time) = (Int(tokens[2]), tokens[1], Int(tokens[4]), tokens[3])
        } else {
            return nil
        }
        guard let day, let monthName, let year, let time,
            let monthIndex = months.firstIndex(of: monthName.lowercased()),
            (1...Timestamp.daysIn(month: monthIndex + 1, year: year)).contains(day)
        else { return nil }
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
            let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            (0..<24).contains(hour), (0..<60).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = Int64(Timestamp.daysFromCivil(year: year, month: monthIndex + 1, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
        return Timestamp(secondsSinceEpoch: seconds)
    }
}
