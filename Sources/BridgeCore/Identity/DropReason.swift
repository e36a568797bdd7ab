/// Why an identifier was not sent to a platform. Drops are counted and
/// reported; a dropped value is never sent, so a platform never receives a
/// hash of garbage that can match nobody.
///
/// `rawValue` is a stable snake_case code for metrics labels, reports and the
/// CLI; `description` says what was wrong without repeating the value.
public enum DropReason: String, Error, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Nothing left after trimming (or the source sent an empty string).
    case empty
    /// The platform has no field for this identifier.
    case notSentToPlatform = "not_sent_to_platform"
    /// Not an e-mail address (no `@`, no domain, spaces inside, nothing left of the local part).
    case invalidEmail = "invalid_email"
    /// Not a possible phone number: bad characters, unknown calling code, or a
    /// length the numbering plan does not allow.
    case invalidPhone = "invalid_phone"
    /// A national-format phone number with neither the event's country nor a
    /// default region to supply the calling code.
    case phoneCountryUnknown = "phone_country_unknown"
    /// A name with nothing left after removing punctuation and titles.
    case invalidName = "invalid_name"
    /// A city with nothing left after removing spaces and punctuation.
    case invalidCity = "invalid_city"
    /// A US state that is neither a two-letter code nor a state name.
    case invalidState = "invalid_state"
    /// A postal code that does not fit the country's format (e.g. a US ZIP without five digits).
    case invalidPostalCode = "invalid_postal_code"
    /// Neither an ISO 3166-1 code nor a known country name.
    case invalidCountry = "invalid_country"
    /// Not a calendar date in a recognised format, or a year outside 1900...2099.
    case invalidDate = "invalid_date"
    /// A day/month order that cannot be decided without the country (`03/04/1990`).
    case ambiguousDate = "ambiguous_date"
    /// Not a gender value the platform accepts (Meta and Snap take only `f`/`m`).
    case invalidGender = "invalid_gender"
    /// A 32-character hex digest (MD5): platforms want SHA-256 and it cannot be re-hashed.
    case unsupportedDigest = "unsupported_digest"
    /// A 64-character digest where the platform wants the value in clear.
    case hashedValueForClearField = "hashed_value_for_clear_field"

    /// A short human explanation, safe to log (never contains the value).
    public var description: String {
        switch self {
        case .empty: "empty after trimming"
        case .notSentToPlatform: "the platform has no field for this identifier"
        case .invalidEmail: "not a valid e-mail address"
        case .invalidPhone: "not a possible phone number for its country"
        case .phoneCountryUnknown: "national phone number without a country to supply the calling code"
        case .invalidName: "nothing left after removing punctuation and titles"
        case .invalidCity: "nothing left after removing spaces and punctuation"
        case .invalidState: "not a US state code or name"
        case .invalidPostalCode: "does not fit the country's postal code format"
        case .invalidCountry: "not an ISO 3166-1 country code or known country name"
        case .invalidDate: "not a valid calendar date in a recognised format"
        case .ambiguousDate: "day and month order cannot be decided without the country"
        case .invalidGender: "not a gender value the platform accepts"
        case .unsupportedDigest: "looks like an MD5 digest; platforms accept SHA-256 only"
        case .hashedValueForClearField: "a hash where the platform wants the value in clear"
        }
    }
}
