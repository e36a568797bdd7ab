/// A short, safe text standing for a platform's response body, for the audit
/// log, dead-letter messages and alerts.
///
/// `make(body:limit:)` decodes the bytes as UTF-8 (invalid sequences become
/// U+FFFD), turns control characters into spaces and collapses runs of white
/// space, replaces anything `PersonalDataScanner` recognizes with `[email]`,
/// `[phone]` or `[ip]` (platforms sometimes echo a rejected value), and only
/// then truncates to `limit` characters, ending with `…` when cut. Redacting
/// before cutting matters: a value cut in half would no longer be recognized.
public enum ResponseSummary {
    /// The default length, enough for a Graph API error envelope's message,
    /// type, code and subcode.
    public static let defaultLimit = 500

    /// The summary of `body`, at most `limit` characters plus `…`.
    public static func make(body: some Sequence<UInt8>, limit: Int = defaultLimit) -> String {
        var text = ""
        var lastWasSpace = true
        for scalar in String(decoding: Array(body), as: UTF8.self).unicodeScalars {
            if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
                if !lastWasSpace { text.append(" ") }
                lastWasSpace = true
            } else {
                text.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        if text.last == " " { text.removeLast() }
        let redacted = PersonalDataScanner().redacting(text)
        guard redacted.count > max(limit, 0) else { return redacted }
        return String(redacted.prefix(max(limit, 0))) + "…"
    }
}
