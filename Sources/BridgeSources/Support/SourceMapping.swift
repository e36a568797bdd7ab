import BridgeCore

/// Typed reads of a verified webhook body, shared by the Shopify, Stripe and
/// WooCommerce adapters.
///
/// Every read that fails throws a `PayloadError` naming the JSON pointer of the
/// member and what was expected, never the member's value, so no personal data
/// reaches an error. Optional reads return `nil` for absent and `null` members:
/// a missing block is normal (guest checkouts, `include_fields` subsets).
///
/// The limits below mirror `config/schema/conversion-event.schema.json`, so an
/// adapter never builds an event the server's schema check would refuse.
/// (Source-neutral; it sits in `Shopify/` only because adapter work stays
/// inside the adapters' folders, and can move to `Support/` unchanged.)
enum SourceMapping {
    /// Length and range limits of the canonical event schema.
    enum Limit {
        static let identifier = 512
        static let ipAddress = 64
        static let userAgent = 2048
        static let landingURL = 8192
        static let clickID = 1024
        static let consentString = 8192
        static let usPrivacy = 16
        static let eventID = 256
        static let orderID = 256
        static let lineItemID = 256
        static let lineItemName = 1024
        static let lineItems = 1000
        static let quantity = 1_000_000
        /// A value has at most 15 digits before the point.
        static let valueBound: UInt64 = 1_000_000_000_000_000
        /// The longest source id (Stripe ids are well below it).
        static let sourceID = 200
    }

    /// Shorthand for a payload violation at `pointer`.
    static func invalid(_ pointer: JSONPointer, _ message: String) -> SourceError {
        .payload(.invalid(pointer, message))
    }

    /// The first of `values` that is present and not `null`.
    static func present(_ values: JSONValue?...) -> JSONValue? {
        for case let value? in values where !value.isNull { return value }
        return nil
    }

    /// Parses the body and requires a JSON object at the root.
    /// - Throws: `PayloadError.malformedJSON` (truncated, not UTF-8, not JSON) or
    ///   `.invalid` for another root type.
    static func object(_ body: [UInt8]) throws(SourceError) -> JSONValue {
        let document: JSONValue
        do { document = try JSONParser.parse(body) } catch { throw .payload(.malformedJSON(error)) }
        guard case .object = document else { throw .payload(.invalid(.root, "the body must be a JSON object")) }
        return document
    }

    /// A non-blank string of at most `maxLength` characters; `nil` for anything
    /// else (absent, `null`, another type, blank, longer), so a hostile value
    /// yields a missing identifier, never an error.
    static func text(_ value: JSONValue?, maxLength: Int) -> String? {
        guard let text = value?.nonBlankString, text.unicodeScalars.count <= maxLength else { return nil }
        return text
    }

    /// `text` cut to at most `maxLength` characters (for display names).
    static func truncated(_ text: String, maxLength: Int) -> String {
        guard text.unicodeScalars.count > maxLength else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(maxLength)))
    }

    /// True for 1…`maxLength` printable ASCII characters (`0x21`–`0x7E`): the
    /// alphabet of event ids.
    static func isToken(_ text: String, maxLength: Int) -> Bool {
        let utf8 = text.utf8
        return !utf8.isEmpty && utf8.count <= maxLength && utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// The canonical decimal text of a positive 64-bit integer id, sent as a
    /// JSON number or a string of digits. Read from the number's text, never
    /// through `Double`, so ids above 2^53 stay exact.
    /// - Returns: `nil` when absent or `null`.
    /// - Throws: when present but not such an id (fractions, exponents, 0,
    ///   negatives, more than 64 bits).
    static func integerID(_ value: JSONValue?, at pointer: JSONPointer) throws(SourceError) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.scalarText, text.utf8.count <= 20, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let id = UInt64(text), id > 0
        else { throw invalid(pointer, "must be a positive 64-bit integer id") }
        return String(id)
    }

    /// Like `integerID`, but the member is required.
    static func requiredIntegerID(_ value: JSONValue?, at pointer: JSONPointer) throws(SourceError) -> String {
        guard let id = try integerID(value, at: pointer) else { throw invalid(pointer, "required id is missing") }
        return id
    }

    /// A string id of printable ASCII (Stripe's `pi_…`, `in_…`), or the `id` of
    /// an expanded object in its place.
    /// - Returns: `nil` when absent, `null` or empty.
    /// - Throws: when present but not such an id.
    static func sourceID(_ value: JSONValue?, at pointer: JSONPointer) throws(SourceError) -> String? {
        guard let value, !value.isNull else { return nil }
        if case .object = value { return try sourceID(value["id"], at: pointer.appending("id")) }
        guard let text = value.stringValue else { throw invalid(pointer, "must be an id string") }
        if text.isEmpty { return nil }
        guard isToken(text, maxLength: Limit.sourceID) else {
            throw invalid(pointer, "must be an id of at most \(Limit.sourceID) printable ASCII characters")
        }
        return text
    }

    /// A decimal amount sent as a string (`"109.11"`).
    /// - Returns: `nil` when absent or `null`.
    /// - Throws: for another type, an exponent, a sign other than `-`, or more
    ///   than 18 digits (the value would not fit an `Int64`).
    static func decimal(_ value: JSONValue?, at pointer: JSONPointer) throws(SourceError) -> Money.Amount? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue else { throw invalid(pointer, "must be a decimal string") }
        guard let amount = Money.Amount(text) else {
            throw invalid(pointer, "must be a plain decimal number of at most 18 digits")
        }
        return amount
    }

    /// An integer amount sent as a JSON number (Stripe's minor units).
    /// - Returns: `nil` when absent or `null`.
    /// - Throws: for another type, a fraction, an exponent or a value beyond `Int64`.
    static func integer(_ value: JSONValue?, at pointer: JSONPointer) throws(SourceError) -> Int64? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.numberText, let number = Int64(text) else {
            throw invalid(pointer, "must be an integer that fits 64 bits")
        }
        return number
    }

    /// An ISO 4217 currency (any case).
    /// - Throws: when absent or not an active ISO 4217 code.
    static func currency(_ value: JSONValue?, at pointer: JSONPointer) throws(SourceError) -> Currency {
        guard let code = value?.stringValue, let currency = Currency(code: code) else {
            throw invalid(pointer, "must be an ISO 4217 currency code")
        }
        return currency
    }

    /// `amount` in `currency` as the canonical schema accepts it: not negative,
    /// at most 15 integer digits, no more decimals than the currency has.
    /// - Throws: naming `pointer` when any of that fails.
    static func money(_ amount: Money.Amount, _ currency: Currency, at pointer: JSONPointer) throws(SourceError) -> Money {
        guard !amount.isNegative else { throw invalid(pointer, "must not be negative") }
        guard amount.significantFractionDigits <= currency.minorUnit else {
            throw invalid(pointer, "has more decimals than \(currency.code) has (\(currency.minorUnit))")
        }
        let rescaled = amount.rescaled(to: currency.minorUnit)
        guard rescaled == amount, integerPart(of: rescaled) < Limit.valueBound else {
            throw invalid(pointer, "is too large (at most 15 digits before the decimal point)")
        }
        return Money(amount: rescaled, currency: currency)
    }

    /// The digits before the point, as a magnitude.
    static func integerPart(of amount: Money.Amount) -> UInt64 {
        var divisor: UInt64 = 1
        for _ in 0..<amount.scale { divisor *= 10 }
        return amount.units.magnitude / divisor
    }

    /// An RFC 3339 time (`assumeUTC` for WooCommerce's offset-less `*_gmt`).
    /// - Returns: `nil` when absent or `null`.
    /// - Throws: when present but not a valid date-time.
    static func time(_ value: JSONValue?, at pointer: JSONPointer, assumeUTC: Bool = false) throws(SourceError) -> Timestamp? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue, text.utf8.count <= 40,
            let time = Timestamp(rfc3339: text, assumeUTC: assumeUTC)
        else { throw invalid(pointer, "must be an RFC 3339 date-time") }
        return time
    }

    /// Unix seconds sent as a JSON integer (Stripe's `created`), up to year 9999.
    /// - Returns: `nil` when absent or `null`.
    /// - Throws: when present but not such a number.
    static func unixTime(_ value: JSONValue?, at pointer: JSONPointer) throws(SourceError) -> Timestamp? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.numberText, let seconds = Int64(text), (0...253_402_300_799).contains(seconds) else {
            throw invalid(pointer, "must be Unix seconds")
        }
        return Timestamp(secondsSinceEpoch: seconds)
    }

    /// `parts` joined with `:` (see `docs/event-ids.md`).
    /// - Throws: naming `pointer` (the sale id's member) when the result is not
    ///   1–256 printable ASCII characters.
    static func eventID(_ parts: [String], at pointer: JSONPointer) throws(SourceError) -> String {
        let id = parts.joined(separator: ":")
        guard isToken(id, maxLength: Limit.eventID) else {
            throw invalid(pointer, "the event id derived from it is not 1–256 printable ASCII characters")
        }
        return id
    }

    /// A line item the schema accepts, or `nil` when the line cannot be one
    /// (no id, quantity outside 1…1,000,000). A unit price with more decimals
    /// than the currency allows (or 4) is left out rather than failing the line.
    static func lineItem(id: String?, name: String?, quantity: JSONValue?, unitPrice: Money.Amount?, currency: Currency?) -> LineItem? {
        guard let id, !id.trimmingWhitespace().isEmpty, id.unicodeScalars.count <= Limit.lineItemID else { return nil }
        guard let text = quantity?.numberText, let count = Int(text), (1...Limit.quantity).contains(count) else { return nil }
        var price = unitPrice
        if let amount = unitPrice {
            let maxDecimals = min(max(currency?.minorUnit ?? 2, 2), 4)
            if amount.significantFractionDigits > maxDecimals || integerPart(of: amount) >= Limit.valueBound {
                price = nil
            }
        }
        let shownName = name.map { truncated($0, maxLength: Limit.lineItemName) }
        return LineItem(id: id, name: shownName, quantity: count, unitPrice: price?.reduced)
    }

    /// A header value usable inside an idempotency key: non-blank printable
    /// ASCII of at most 256 characters, else `nil`.
    static func headerToken(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingWhitespace()
        return isToken(trimmed, maxLength: 256) ? trimmed : nil
    }

    /// A topic, type or status name safe to echo in an `ignored` reason: at
    /// most 64 of `a-z 0-9 _ . / -` (the alphabet of real topic names, which
    /// leaves out e-mail addresses and capitalised names), else a placeholder.
    static func describe(_ name: String) -> String {
        let allowed = name.utf8.allSatisfy {
            (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F || $0 == 0x2E || $0 == 0x2F || $0 == 0x2D
        }
        return allowed && (1...64).contains(name.utf8.count) ? name : "(unrecognised)"
    }

    /// Consent Mode state from free text (`granted`/`denied`, any case).
    static func grantState(_ text: String?) -> ConsentSignals.GrantState? {
        guard let text else { return nil }
        return ConsentSignals.GrantState(rawValue: text.trimmingWhitespace().lowercased())
    }

    /// A yes/no flag from free text: `true`/`1`/`yes` or `false`/`0`/`no`.
    static func flag(_ text: String?) -> Bool? {
        switch text?.trimmingWhitespace().lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: return nil
        }
    }

    /// The configured list `key` of `options`, or `fallback` when not configured.
    static func option(_ key: String, in options: [String: [String]], default fallback: [String]) -> Set<String> {
        Set(options[key] ?? fallback)
    }
}

extension CustomerIdentifiers {
    /// Fills `field` from a JSON member holding a usable string (see
    /// `SourceMapping.text`); anything else is skipped.
    mutating func fill(_ field: CustomerField, from value: JSONValue?) {
        fill(field, with: SourceMapping.text(value, maxLength: SourceMapping.Limit.identifier))
    }
}

extension ClientContext {
    /// Fills a click id from text within the schema's length limit.
    mutating func fill(_ kind: ClickIDKind, bounded value: String?) {
        guard let value, value.unicodeScalars.count <= SourceMapping.Limit.clickID else { return }
        fill(kind, with: value)
    }

    /// Sets the IP address, user agent or landing URL when still empty and the
    /// text is usable.
    mutating func fillIP(_ value: JSONValue?) {
        if ipAddress == nil, let text = SourceMapping.text(value, maxLength: SourceMapping.Limit.ipAddress) {
            ipAddress = PersonalData(text.trimmingWhitespace())
        }
    }

    mutating func fillUserAgent(_ value: JSONValue?) {
        if userAgent == nil, let text = SourceMapping.text(value, maxLength: SourceMapping.Limit.userAgent) {
            userAgent = PersonalData(text)
        }
    }

    mutating func fillLandingURL(_ value: JSONValue?) {
        if landingURL == nil, let text = SourceMapping.text(value, maxLength: SourceMapping.Limit.landingURL) {
            landingURL = PersonalData(text)
        }
    }
}
