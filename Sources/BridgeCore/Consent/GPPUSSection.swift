/// The opt-out fields of a GPP US section: MSPA US National (`usnat`, id 7)
/// or one of the state sections (`usca` 8 … `usmn` 23).
///
/// Only what the consent decision needs is kept: the sale, sharing and
/// targeted-advertising opt-outs, the MSPA covered-transaction flag and the
/// GPC subsection. The other fields (notices, sensitive-data consents) are
/// read past, not interpreted. Field layouts follow the section specifications
/// of InteractiveAdvertisingBureau/Global-Privacy-Platform and, where the specs
/// are silent, the reference decoder IABTechLab/iabgpp-es (notably `usnat`
/// version 1 strings, recognised by their length as that decoder does).
/// The Maryland, Indiana, Kentucky and Rhode Island sections (24–27) use a new
/// header-and-subsection encoding on which the specification and the
/// reference decoder disagree; `GPPString` reports them as unsupported.
public struct GPPUSSection: Sendable, Equatable {
    /// A 2-bit MSPA opt-out field.
    public enum Choice: Int, Sendable, Equatable, CaseIterable {
        /// 0: not applicable (no notice was given, or the business does not do this).
        case notApplicable = 0
        /// 1: the consumer opted out.
        case optedOut = 1
        /// 2: the consumer did not opt out.
        case didNotOptOut = 2
        /// 3: undefined by the specification; treated as unknown, never as a grant.
        case invalid = 3
    }

    /// GPP section id (7 for `usnat`, 8 for `usca`, …).
    public let id: Int
    /// Client-side API prefix (`usnat`, `usca`, …).
    public let name: String
    /// Section version.
    public let version: Int
    /// `SaleOptOut`.
    public let saleOptOut: Choice
    /// `SharingOptOut` (`usnat` and `usca` only).
    public let sharingOptOut: Choice?
    /// `TargetedAdvertisingOptOut` (every section but `usca`).
    public let targetedAdvertisingOptOut: Choice?
    /// `MspaCoveredTransaction`: 1 yes, 2 no.
    public let mspaCoveredTransaction: Int
    /// The GPC subsection's flag, when the section carries one.
    public let gpc: Bool?

    /// True when the consumer opted out of sale, sharing or targeted advertising.
    public var hasOptedOut: Bool {
        saleOptOut == .optedOut || sharingOptOut == .optedOut || targetedAdvertisingOptOut == .optedOut
    }

    /// The section ids this type decodes.
    public static let supportedIDs: ClosedRange<Int> = 7...23

    /// Decodes section `id` from its text (`core` or `core.gpc`).
    /// - Returns: `nil` when `id` is not in `supportedIDs`.
    /// - Throws: `GPPStringError` for bad characters or a truncated section.
    init?(id: Int, text: Substring, index: Int) throws(GPPStringError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var core = try GPPSectionReader(parts[0], section: index)
        guard let layout = Layout.forSection(id, bitCount: core.bitCount) else { return nil }
        self.id = id
        name = layout.name
        version = try core.int(6, "Version")
        try core.skip(layout.notices * 2, "Notices")
        saleOptOut = Choice(rawValue: try core.int(2, "SaleOptOut")) ?? .invalid
        sharingOptOut = layout.hasSharing ? Choice(rawValue: try core.int(2, "SharingOptOut")) ?? .invalid : nil
        targetedAdvertisingOptOut =
            layout.hasTargeted ? Choice(rawValue: try core.int(2, "TargetedAdvertisingOptOut")) ?? .invalid : nil
        try core.skip((layout.sensitiveData + layout.knownChild + layout.extra) * 2, "SensitiveDataProcessing")
        mspaCoveredTransaction = try core.int(2, "MspaCoveredTransaction")
        var flag: Bool?
        for part in parts.dropFirst() where !part.isEmpty {
            var sub = try GPPSectionReader(part, section: index)
            if try sub.int(2, "SubsectionType") == 1 {
                flag = try sub.int(1, "Gpc") == 1
            }
        }
        gpc = flag
    }

    /// Where the fields sit in one section's core subsection. Every field after
    /// `Version` (6 bits) is 2 bits wide; the lists are counted in entries.
    struct Layout {
        let name: String
        /// Notice fields before `SaleOptOut`.
        let notices: Int
        let hasSharing: Bool
        let hasTargeted: Bool
        /// Entries of `SensitiveDataProcessing`.
        let sensitiveData: Int
        /// Entries of `KnownChildSensitiveDataConsents`.
        let knownChild: Int
        /// `PersonalDataConsents` or `AdditionalDataProcessingConsent` (0 or 1 field).
        let extra: Int

        static func forSection(_ id: Int, bitCount: Int) -> Layout? {
            func state(_ name: String, notices: Int = 3, sensitive: Int, child: Int, extra: Int) -> Layout {
                Layout(
                    name: name, notices: notices, hasSharing: false, hasTargeted: true,
                    sensitiveData: sensitive, knownChild: child, extra: extra)
            }
            switch id {
            case 7:
                // Version 1 strings (12 + 2 list entries) are 60 or 66 bits long once padded.
                let isV1Length = bitCount == 60 || bitCount == 66
                return Layout(
                    name: "usnat", notices: 6, hasSharing: true, hasTargeted: true,
                    sensitiveData: isV1Length ? 12 : 16, knownChild: isV1Length ? 2 : 3, extra: 1)
            case 8:
                return Layout(
                    name: "usca", notices: 3, hasSharing: true, hasTargeted: false,
                    sensitiveData: 9, knownChild: 2, extra: 1)
            case 9: return state("usva", sensitive: 8, child: 1, extra: 0)
            case 10: return state("usco", sensitive: 7, child: 1, extra: 0)
            case 11: return state("usut", notices: 4, sensitive: 8, child: 1, extra: 0)
            case 12: return state("usct", sensitive: 8, child: 3, extra: 0)
            case 13: return state("usfl", sensitive: 8, child: 3, extra: 1)
            case 14: return state("usmt", sensitive: 8, child: 3, extra: 1)
            case 15: return state("usor", sensitive: 11, child: 3, extra: 1)
            case 16: return state("ustx", sensitive: 8, child: 1, extra: 1)
            case 17: return state("usde", sensitive: 9, child: 5, extra: 1)
            case 18: return state("usia", notices: 4, sensitive: 8, child: 1, extra: 0)
            case 19: return state("usne", sensitive: 8, child: 1, extra: 1)
            case 20: return state("usnh", sensitive: 8, child: 3, extra: 1)
            case 21: return state("usnj", sensitive: 10, child: 5, extra: 1)
            case 22: return state("ustn", sensitive: 8, child: 1, extra: 1)
            case 23: return state("usmn", sensitive: 8, child: 1, extra: 1)
            default: return nil
            }
        }
    }
}
