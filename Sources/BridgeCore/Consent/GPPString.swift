/// A decoded IAB Global Privacy Platform string: a header, then one section
/// per listed section id, joined by `~`
/// (InteractiveAdvertisingBureau/Global-Privacy-Platform, "Consent String Specification").
///
/// The header is `Type` (6 bits, always 3), `Version` (6 bits, 1) and the
/// section ids as a Fibonacci-coded range. Sections the bridge reads:
/// `tcfeuv2` (2) through `TCString`, `uspv1` (6) through `USPrivacyString`,
/// and `usnat` (7) plus the state sections 8–23 through `GPPUSSection`. Any
/// other id is `.unsupported`, and a section that fails to decode is
/// `.invalid`; the consent stage treats both as *unknown*, never as a grant.
/// A bad section does not hide the others: only a bad header throws.
public struct GPPString: Sendable, Equatable {
    /// One section of the string, decoded as far as the bridge can.
    public enum Section: Sendable, Equatable {
        /// Section 2, the IAB Europe TC string.
        case tcfEuV2(TCString)
        /// Section 6, the US Privacy string.
        case usPrivacy(USPrivacyString)
        /// Section 7 (`usnat`) or a US state section (8–23).
        case us(GPPUSSection)
        /// A section id the bridge does not decode (e.g. 5 `tcfcav1`, 24–27).
        case unsupported(id: Int)
        /// A section the bridge decodes that is malformed.
        case invalid(id: Int, error: GPPStringError)

        /// The section's GPP id.
        public var id: Int {
            switch self {
            case .tcfEuV2: return 2
            case .usPrivacy: return 6
            case .us(let section): return section.id
            case .unsupported(let id), .invalid(let id, _): return id
            }
        }
    }

    /// Longest string accepted.
    public static let maximumLength = 100_000

    /// GPP version from the header.
    public let version: Int
    /// Section ids in header order.
    public let sectionIDs: [Int]
    /// The sections, in string order (same order as `sectionIDs`).
    public let sections: [Section]

    /// Decodes a GPP string.
    /// - Throws: `GPPStringError` when the header is malformed or its section
    ///   count does not match the string. Section faults are reported as
    ///   `.invalid` sections instead.
    public init(decoding string: String) throws(GPPStringError) {
        guard string.utf8.count <= Self.maximumLength else {
            throw .tooLong(length: string.utf8.count, limit: Self.maximumLength)
        }
        let trimmed = string.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        let parts = trimmed.split(separator: "~", omittingEmptySubsequences: false)
        var header = try GPPSectionReader(parts[0], section: 0)
        let type = try header.int(6, "Type")
        guard type == 3 else { throw .notAGPPHeader(type: type) }
        version = try header.int(6, "Version")
        guard version == 1 else { throw .unsupportedVersion(version) }
        let found = parts.count - 1
        sectionIDs = try Self.readSectionIDs(&header, limit: found)
        guard sectionIDs.count == found else {
            throw .sectionCountMismatch(declared: sectionIDs.count, found: found)
        }
        sections = zip(sectionIDs, parts.dropFirst()).enumerated().map { offset, pair in
            Self.decodeSection(id: pair.0, text: pair.1, index: offset + 1)
        }
    }

    /// Reads the `Range(Fibonacci)` list of section ids. Each entry is an offset
    /// from the last id seen (0 at first); a group adds its length to its start.
    /// Stops with `sectionCountMismatch` once more ids than `limit` appear, so a
    /// hostile header cannot make the decoder expand a huge range.
    private static func readSectionIDs(_ header: inout GPPSectionReader, limit: Int) throws(GPPStringError) -> [Int] {
        let entries = try header.int(12, "Sections.NumEntries")
        var ids: [Int] = []
        var last = 0
        for _ in 0..<entries {
            let isGroup = try header.bool("Sections.IsGroup")
            let start = last + (try header.fibonacci("Sections.Offset"))
            let end = isGroup ? start + (try header.fibonacci("Sections.Length")) : start
            guard ids.count + (end - start + 1) <= limit else {
                throw .sectionCountMismatch(declared: ids.count + (end - start + 1), found: limit)
            }
            ids.append(contentsOf: start...end)
            last = end
        }
        return ids
    }

    private static func decodeSection(id: Int, text: Substring, index: Int) -> Section {
        guard !text.isEmpty else { return .invalid(id: id, error: .emptySection(index: index)) }
        switch id {
        case 2:
            do { return .tcfEuV2(try TCString(decoding: String(text))) } catch {
                return .invalid(id: id, error: .tcfSection(error))
            }
        case 6:
            do { return .usPrivacy(try USPrivacyString(decoding: String(text))) } catch {
                return .invalid(id: id, error: .usPrivacySection(error))
            }
        case GPPUSSection.supportedIDs:
            do {
                guard let section = try GPPUSSection(id: id, text: text, index: index) else {
                    return .unsupported(id: id)
                }
                return .us(section)
            } catch {
                return .invalid(id: id, error: error)
            }
        default:
            return .unsupported(id: id)
        }
    }

    /// The `tcfeuv2` section's TC string, when present and valid.
    public var tcString: TCString? {
        for case .tcfEuV2(let tc) in sections { return tc }
        return nil
    }

    /// True when any decoded US section (or `uspv1`) records an opt-out of
    /// sale, sharing or targeted advertising, or, when `honoringGPC`, a GPC
    /// subsection is set.
    public func hasOptOut(honoringGPC: Bool) -> Bool {
        sections.contains { section in
            switch section {
            case .us(let us): return us.hasOptedOut || (honoringGPC && us.gpc == true)
            case .usPrivacy(let usp): return usp.hasOptedOut
            default: return false
            }
        }
    }
}
