extension MatchQualityModel {
    /// The model of `platform`, or `nil` where the platform has no match
    /// score at all (GA4's Measurement Protocol).
    ///
    /// Weights per platform and what they rest on (platform docs in
    /// `docs/destinations/<platform>.md`, summarized in `docs/match-quality.md`):
    ///
    /// | platform | basis |
    /// |---|---|
    /// | Meta | e-mail, IP, first+last name, phone named high-quality; `potential_aly_acr_increase` example: e-mail +58.96 %, IP +20.65 %; fbc, fbp, external_id scored |
    /// | TikTok | "weighted average of match key coverages"; ordering ttclid > e-mail > phone > external_id > IP + user agent (third-party guides) |
    /// | Snapchat | weights unpublished; same customer parameters as Meta, ScCid as click id |
    /// | Pinterest | EQS user-matching components: hashed e-mail, IP, user agent, epik click id, external id |
    /// | Google | click ids match deterministically; enhanced conversions use e-mail, phone, name + address |
    /// | LinkedIn | SHA-256 e-mail, li_fat_id, name (in clear) |
    /// | Reddit | e-mail, rdt_cid click id, phone, IP, external id |
    public static func `for`(_ platform: Platform) -> MatchQualityModel? {
        switch platform {
        case .meta: meta
        case .tiktok: tiktok
        case .snapchat: snapchat
        case .pinterest: pinterest
        case .google: google
        case .linkedin: linkedin
        case .reddit: reddit
        case .ga4: nil
        }
    }

    public static let meta = MatchQualityModel(
        name: "meta-v1", platform: .meta, combination: .independentChances,
        signals: [
            Signal("email", [[.email]], weight: 0.60),
            Signal("phone", [[.phone]], weight: 0.45),
            Signal("click id (fbc)", [[.fbc], [.fbclid]], weight: 0.35),
            Signal("name (first + last)", [[.firstName, .lastName]], weight: 0.25),
            Signal("IP address", [[.ipAddress]], weight: 0.21),
            Signal("external id", [[.externalID]], weight: 0.20),
            Signal("browser id (fbp)", [[.fbp]], weight: 0.15),
            Signal("address (zip or city)", [[.postalCode], [.city]], weight: 0.08),
            Signal("user agent", [[.userAgent]], weight: 0.05),
            Signal("date of birth", [[.dateOfBirth]], weight: 0.05),
            Signal("gender", [[.gender]], weight: 0.02),
            Signal("country", [[.country]], weight: 0.02),
        ])

    public static let tiktok = MatchQualityModel(
        name: "tiktok-v1", platform: .tiktok, combination: .weightedCoverage,
        signals: [
            Signal("click id (ttclid)", [[.ttclid]], weight: 0.30),
            Signal("email", [[.email]], weight: 0.25),
            Signal("phone", [[.phone]], weight: 0.20),
            Signal("external id", [[.externalID]], weight: 0.15),
            Signal("IP address", [[.ipAddress]], weight: 0.05),
            Signal("user agent", [[.userAgent]], weight: 0.05),
        ])

    public static let snapchat = MatchQualityModel(
        name: "snapchat-v1", platform: .snapchat, combination: .independentChances,
        signals: [
            Signal("email", [[.email]], weight: 0.55),
            Signal("phone", [[.phone]], weight: 0.45),
            Signal("click id (ScCid)", [[.sccid]], weight: 0.35),
            Signal("IP address", [[.ipAddress]], weight: 0.20),
            Signal("external id", [[.externalID]], weight: 0.20),
            Signal("name (first + last)", [[.firstName, .lastName]], weight: 0.20),
            Signal("address (zip or city)", [[.postalCode], [.city]], weight: 0.05),
            Signal("user agent", [[.userAgent]], weight: 0.05),
            Signal("date of birth", [[.dateOfBirth]], weight: 0.05),
        ])

    public static let pinterest = MatchQualityModel(
        name: "pinterest-v1", platform: .pinterest, combination: .independentChances,
        signals: [
            Signal("email", [[.email]], weight: 0.60),
            Signal("click id (epik)", [[.epik]], weight: 0.35),
            Signal("phone", [[.phone]], weight: 0.35),
            Signal("external id", [[.externalID]], weight: 0.25),
            Signal("IP address", [[.ipAddress]], weight: 0.20),
            Signal("name (first + last)", [[.firstName, .lastName]], weight: 0.15),
            Signal("user agent", [[.userAgent]], weight: 0.05),
        ])

    public static let google = MatchQualityModel(
        name: "google-v1", platform: .google, combination: .independentChances,
        signals: [
            Signal("click id (gclid, gbraid or wbraid)", [[.gclid], [.gbraid], [.wbraid]], weight: 0.80),
            Signal("email", [[.email]], weight: 0.55),
            Signal("phone", [[.phone]], weight: 0.40),
            Signal("name and address", [[.firstName, .lastName, .postalCode, .country]], weight: 0.25),
            Signal("IP address", [[.ipAddress]], weight: 0.05),
        ])

    public static let linkedin = MatchQualityModel(
        name: "linkedin-v1", platform: .linkedin, combination: .independentChances,
        signals: [
            Signal("email", [[.email]], weight: 0.60),
            Signal("click id (li_fat_id)", [[.liFatID]], weight: 0.50),
            Signal("name (first + last)", [[.firstName, .lastName]], weight: 0.25),
            Signal("external id", [[.externalID]], weight: 0.10),
        ])

    public static let reddit = MatchQualityModel(
        name: "reddit-v1", platform: .reddit, combination: .independentChances,
        signals: [
            Signal("email", [[.email]], weight: 0.55),
            Signal("click id (rdt_cid)", [[.rdtCID]], weight: 0.45),
            Signal("phone", [[.phone]], weight: 0.35),
            Signal("external id", [[.externalID]], weight: 0.25),
            Signal("IP address", [[.ipAddress]], weight: 0.20),
            Signal("user agent", [[.userAgent]], weight: 0.05),
        ])
}
