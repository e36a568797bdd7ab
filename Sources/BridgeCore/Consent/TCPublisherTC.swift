/// The optional publisher TC segment (`SegmentType` 3): the publisher's own
/// purposes and custom purposes, separate from the vendors'.
public struct TCPublisherTC: Sendable, Equatable {
    /// Standard purposes with consent for the publisher (ids 1…24).
    public let purposeConsents: Set<Int>
    /// Standard purposes with established legitimate interest (ids 1…24).
    public let purposeLegitimateInterests: Set<Int>
    /// Number of custom purposes the publisher defined (6 bits).
    public let numberOfCustomPurposes: Int
    /// Custom purposes with consent (ids 1…`numberOfCustomPurposes`).
    public let customPurposeConsents: Set<Int>
    /// Custom purposes with established legitimate interest.
    public let customPurposeLegitimateInterests: Set<Int>

    init(reading reader: inout TCSegmentReader) throws(TCStringError) {
        purposeConsents = try reader.bitSet(24, "PubPurposesConsent")
        purposeLegitimateInterests = try reader.bitSet(24, "PubPurposesLITransparency")
        numberOfCustomPurposes = try reader.int(6, "NumCustomPurposes")
        customPurposeConsents = try reader.bitSet(numberOfCustomPurposes, "CustomPurposesConsent")
        customPurposeLegitimateInterests = try reader.bitSet(numberOfCustomPurposes, "CustomPurposesLITransparency")
    }
}
