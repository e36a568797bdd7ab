/// A decoded IAB TCF v2 Transparency & Consent string (TCF v2.2 field set).
///
/// Decoding follows "Consent string and vendor list formats v2" of
/// InteractiveAdvertisingBureau/GDPR-Transparency-and-Consent-Framework: a
/// core segment, then optional segments after `.` (disclosed vendors, allowed
/// vendors, publisher TC), each Base64 URL without padding. Every field of the
/// core segment is kept, vendor sections in both bit-field and range
/// encodings, and publisher restrictions. Vendor sets are stored as ranges, so a
/// hostile `1…65535` range costs one entry, not 65,535.
///
/// ```swift
/// let tc = try TCString(decoding: "CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA")
/// tc.purposeConsents.contains(1)       // Purpose 1: store/access information on a device
/// tc.vendorConsents.contains(755)      // Google Advertising Products
/// ```
public struct TCString: Sendable, Equatable {
    /// The kinds of segment a TC string may carry, by their 3-bit `SegmentType`.
    public enum SegmentType: Int, Sendable, Equatable, CaseIterable {
        case core = 0
        case disclosedVendors = 1
        case allowedVendors = 2
        case publisherTC = 3
    }

    /// Longest string accepted; real strings are a few kilobytes.
    public static let maximumLength = 100_000

    /// Encoding format version; always 2.
    public let version: Int
    /// `Created`, from deciseconds since the epoch. Since TCF 2.2 CMPs round it to the day.
    public let created: Timestamp
    /// `LastUpdated`, from deciseconds since the epoch.
    public let lastUpdated: Timestamp
    /// The CMP's registered id.
    public let cmpID: Int
    /// The CMP's own version number.
    public let cmpVersion: Int
    /// The CMP screen on which consent was given.
    public let consentScreen: Int
    /// ISO 639-1 language of the CMP UI, upper case (`EN`).
    public let consentLanguage: String
    /// Version of the Global Vendor List used.
    public let vendorListVersion: Int
    /// TCF policy version (4 for TCF 2.2).
    public let policyVersion: Int
    /// `IsServiceSpecific`; TCF 2.2 requires `true`.
    public let isServiceSpecific: Bool
    /// `UseNonStandardTexts` (named `UseNonStandardStacks` before TCF 2.2).
    public let useNonStandardTexts: Bool
    /// Special features opted in (ids 1…12).
    public let specialFeatureOptIns: Set<Int>
    /// Purposes with consent (ids 1…24).
    public let purposeConsents: Set<Int>
    /// Purposes whose legitimate interest was established and not objected to (ids 1…24).
    public let purposeLegitimateInterests: Set<Int>
    /// `PurposeOneTreatment`: purpose 1 was not disclosed (publisher jurisdiction rules).
    public let purposeOneTreatment: Bool
    /// ISO 3166-1 alpha-2 country of the publisher's legislation, upper case.
    public let publisherCountryCode: String
    /// Vendors with consent.
    public let vendorConsents: TCVendorSection
    /// Vendors with established legitimate interest.
    public let vendorLegitimateInterests: TCVendorSection
    /// Publisher restrictions, in string order.
    public let publisherRestrictions: [TCPublisherRestriction]
    /// The disclosed-vendors segment, when present (mandatory from TCF 2.3).
    public let disclosedVendors: TCVendorSection?
    /// The allowed-vendors segment (deprecated out-of-band signalling), when present.
    public let allowedVendors: TCVendorSection?
    /// The publisher TC segment, when present.
    public let publisherTC: TCPublisherTC?
    /// Segment types of the optional segments, in string order.
    public let segmentTypes: [SegmentType]
    /// Segment types 4…7 (undefined today) that were seen and skipped, in string order.
    public let unknownSegmentTypes: [Int]

    /// Decodes a TC string.
    ///
    /// Never traps: every malformed input yields a `TCStringError`.
    /// - Throws: `TCStringError` naming the first fault found.
    public init(decoding string: String) throws(TCStringError) {
        guard string.utf8.count <= Self.maximumLength else {
            throw .tooLong(length: string.utf8.count, limit: Self.maximumLength)
        }
        let trimmed = string.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        let segments = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() where segment.isEmpty {
            throw index == 0 ? .empty : .emptySegment(index: index)
        }

        var core = try TCSegmentReader(segments[0], segment: 0)
        version = try core.int(6, "Version")
        guard version == 2 else { throw .unsupportedVersion(version) }
        created = Timestamp(millisecondsSinceEpoch: Int64(try core.int(36, "Created")) * 100)
        lastUpdated = Timestamp(millisecondsSinceEpoch: Int64(try core.int(36, "LastUpdated")) * 100)
        cmpID = try core.int(12, "CmpId")
        cmpVersion = try core.int(12, "CmpVersion")
        consentScreen = try core.int(6, "ConsentScreen")
        consentLanguage = try core.letters(2, "ConsentLanguage")
        vendorListVersion = try core.int(12, "VendorListVersion")
        policyVersion = try core.int(6, "TcfPolicyVersion")
        isServiceSpecific = try core.bool("IsServiceSpecific")
        useNonStandardTexts = try core.bool("UseNonStandardTexts")
        specialFeatureOptIns = try core.bitSet(12, "SpecialFeatureOptIns")
        purposeConsents = try core.bitSet(24, "PurposesConsent")
        purposeLegitimateInterests = try core.bitSet(24, "PurposesLITransparency")
        purposeOneTreatment = try core.bool("PurposeOneTreatment")
        publisherCountryCode = try core.letters(2, "PublisherCC")
        vendorConsents = try TCVendorSection(reading: &core, field: "VendorConsents")
        vendorLegitimateInterests = try TCVendorSection(reading: &core, field: "VendorLegitimateInterests")
        publisherRestrictions = try TCPublisherRestriction.readAll(from: &core)

        var disclosed: TCVendorSection?
        var allowed: TCVendorSection?
        var publisher: TCPublisherTC?
        var types: [SegmentType] = []
        var unknown: [Int] = []
        for index in segments.indices.dropFirst() {
            var reader = try TCSegmentReader(segments[index], segment: index)
            let rawType = try reader.int(3, "SegmentType")
            guard let type = SegmentType(rawValue: rawType) else {
                unknown.append(rawType)
                continue
            }
            switch type {
            case .core:
                throw .unexpectedSegmentType(rawType, segment: index)
            case .disclosedVendors:
                disclosed = try TCVendorSection(reading: &reader, field: "DisclosedVendors")
            case .allowedVendors:
                allowed = try TCVendorSection(reading: &reader, field: "AllowedVendors")
            case .publisherTC:
                publisher = try TCPublisherTC(reading: &reader)
            }
            types.append(type)
        }
        disclosedVendors = disclosed
        allowedVendors = allowed
        publisherTC = publisher
        segmentTypes = types
        unknownSegmentTypes = unknown
    }
}
