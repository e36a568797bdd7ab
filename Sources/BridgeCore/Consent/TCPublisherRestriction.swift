/// A publisher restriction from a TC string's core segment: for one purpose,
/// the publisher overrides the legal basis of a list of vendors.
public struct TCPublisherRestriction: Sendable, Equatable {
    /// `RestrictionType` (2 bits).
    public enum RestrictionType: Int, Sendable, Equatable, CaseIterable {
        /// 0: the purpose is flatly not allowed for these vendors, whatever they declared.
        case notAllowed = 0
        /// 1: the vendors must have consent (not legitimate interest) for the purpose.
        case requireConsent = 1
        /// 2: the vendors must rely on legitimate interest (not consent) for the purpose.
        case requireLegitimateInterest = 2
        /// 3: undefined by the specification.
        case undefined = 3
    }

    /// The purpose the restriction applies to (6 bits).
    public let purposeID: Int
    /// What the publisher requires.
    public let restrictionType: RestrictionType
    /// The restricted vendor ids, in string order.
    public let vendorRanges: [ClosedRange<Int>]

    public init(purposeID: Int, restrictionType: RestrictionType, vendorRanges: [ClosedRange<Int>]) {
        self.purposeID = purposeID
        self.restrictionType = restrictionType
        self.vendorRanges = vendorRanges
    }

    /// True when `vendorID` is one of the restricted vendors.
    public func applies(to vendorID: Int) -> Bool {
        vendorRanges.contains { $0.contains(vendorID) }
    }

    /// Reads `NumPubRestrictions` (12 bits) and that many entries of
    /// `PurposeId` (6), `RestrictionType` (2) and range entries.
    static func readAll(from reader: inout TCSegmentReader) throws(TCStringError) -> [TCPublisherRestriction] {
        let count = try reader.int(12, "NumPubRestrictions")
        var restrictions: [TCPublisherRestriction] = []
        for _ in 0..<count {
            let purpose = try reader.int(6, "PubRestriction.PurposeId")
            let rawType = try reader.int(2, "PubRestriction.RestrictionType")
            let ranges = try reader.rangeEntries("PubRestriction")
            restrictions.append(
                TCPublisherRestriction(
                    purposeID: purpose,
                    restrictionType: RestrictionType(rawValue: rawType) ?? .undefined,
                    vendorRanges: ranges
                )
            )
        }
        return restrictions
    }
}
