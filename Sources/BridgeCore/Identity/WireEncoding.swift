/// How a platform wants an identifier on the wire.
public enum WireEncoding: String, Sendable, Hashable, Codable {
    /// Lowercase hex SHA-256 of the normalized value.
    case sha256
    /// The normalized value itself. Still personal data: treat it as such in
    /// consent, audit and logs.
    case clear
}

extension Platform {
    /// How this platform takes `field`, or `nil` when it has no field for it
    /// (see the normalization matrix in the platform docs).
    public func encoding(for field: CustomerField) -> WireEncoding? {
        switch (self, field) {
        case (_, .email): .sha256
        case (.linkedin, .phone): nil
        case (_, .phone): .sha256
        case (.linkedin, .firstName), (.linkedin, .lastName): .clear
        case (.reddit, .firstName), (.reddit, .lastName): nil
        case (_, .firstName), (_, .lastName): .sha256
        case (.meta, .city), (.snapchat, .city), (.pinterest, .city): .sha256
        case (.meta, .state), (.snapchat, .state), (.pinterest, .state): .sha256
        case (.meta, .postalCode), (.snapchat, .postalCode), (.pinterest, .postalCode), (.tiktok, .postalCode): .sha256
        case (.google, .city), (.ga4, .city), (.tiktok, .city): .clear
        case (.google, .state), (.ga4, .state), (.tiktok, .state): .clear
        case (.google, .postalCode), (.ga4, .postalCode): .clear
        case (_, .city), (_, .state), (_, .postalCode): nil
        case (.meta, .country), (.snapchat, .country), (.pinterest, .country): .sha256
        case (_, .country): .clear
        case (.meta, .dateOfBirth), (.snapchat, .dateOfBirth), (.pinterest, .dateOfBirth): .sha256
        case (_, .dateOfBirth): nil
        case (.meta, .gender), (.snapchat, .gender), (.pinterest, .gender): .sha256
        case (_, .gender): nil
        case (.google, .externalID), (.ga4, .externalID): nil
        case (.linkedin, .externalID): .clear
        case (_, .externalID): .sha256
        }
    }
}

/// The normalization rules of one platform (the matrix in the platform docs).
struct PlatformRules: Sendable {
    var email = EmailRule.standard
    var phone = PhoneFormat.digits
    var name = NameRule()
    var city = TextFilter()
    var state = TextFilter()
    var postalCode = TextFilter(punctuation: .removeDashes)
    var keepsUSPostalFormat = false
    var uppercaseCountry = false
    var allowsNonBinaryGender = false

    /// The rules for `platform`; GA4 follows Google's.
    static func `for`(_ platform: Platform) -> PlatformRules {
        switch platform {
        case .meta: meta
        case .google, .ga4: google
        case .tiktok: tiktok
        case .snapchat: snapchat
        case .pinterest: pinterest
        case .linkedin: linkedin
        case .reddit: reddit
        }
    }

    /// Meta: names without punctuation; city letters only; zip without spaces or dashes.
    static let meta = PlatformRules(
        name: NameRule(removePunctuation: true),
        city: TextFilter(digits: false)
    )
    /// Google (Data Manager, Ads, GA4): Gmail canonicalization, `+E.164`, names
    /// without titles or punctuation, location fields in clear, postal code trimmed only.
    static let google = PlatformRules(
        email: .google, phone: .plusE164,
        name: NameRule(removePunctuation: true, googleStyle: true),
        city: TextFilter(spaces: .collapse), state: TextFilter(spaces: .collapse),
        postalCode: TextFilter(lowercase: false, spaces: .keep, punctuation: .keep),
        keepsUSPostalFormat: true, uppercaseCountry: true
    )
    /// TikTok: `+E.164`; city and state in clear, letters and digits only.
    static let tiktok = PlatformRules(phone: .plusE164)
    /// Snap: city and postal code lowercase without spaces (punctuation kept).
    static let snapchat = PlatformRules(
        city: TextFilter(punctuation: .keep), postalCode: TextFilter(punctuation: .keep)
    )
    /// Pinterest: city without spaces or punctuation; postal code letters and digits; gender `n` allowed.
    static let pinterest = PlatformRules(postalCode: TextFilter(), allowsNonBinaryGender: true)
    /// LinkedIn: names in clear as written (trimmed), country uppercase.
    static let linkedin = PlatformRules(name: NameRule(lowercase: false), uppercaseCountry: true)
    /// Reddit: its own e-mail canonicalization for all domains, `+E.164`.
    static let reddit = PlatformRules(email: .reddit, phone: .plusE164, uppercaseCountry: true)
}
