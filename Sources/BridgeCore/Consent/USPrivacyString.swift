/// A decoded IAB US Privacy (CCPA) string such as `1YNN`: four characters,
/// version (`1`), explicit notice, opt-out of sale and LSPA coverage, each
/// `Y`, `N` or `-` (not applicable). `1---` means CCPA does not apply.
public struct USPrivacyString: Sendable, Equatable {
    /// One flag of the string.
    public enum Flag: Character, Sendable, Equatable, CaseIterable {
        case yes = "Y"
        case no = "N"
        case notApplicable = "-"
    }

    /// Specification version; only `1` exists.
    public let version: Int
    /// Explicit notice / opportunity to opt out was given.
    public let notice: Flag
    /// The user opted out of the sale of their personal information.
    public let optOutOfSale: Flag
    /// The publisher is a signatory of the IAB LSPA.
    public let lspaCovered: Flag

    /// True when the user opted out of sale (`Y` in position 3).
    public var hasOptedOut: Bool { optOutOfSale == .yes }

    /// Decodes a US Privacy string; letters may be lower case, surrounding whitespace is ignored.
    /// - Throws: `USPrivacyStringError` when the length, version or a flag is wrong.
    public init(decoding string: String) throws(USPrivacyStringError) {
        let text = Array(string.trimmingWhitespace().uppercased())
        guard text.count == 4 else { throw .wrongLength(text.count) }
        guard let version = text[0].wholeNumberValue, text[0].isASCII else {
            throw .invalidCharacter(text[0], position: 0)
        }
        guard version == 1 else { throw .unsupportedVersion(version) }
        func flag(_ position: Int) throws(USPrivacyStringError) -> Flag {
            guard let flag = Flag(rawValue: text[position]) else {
                throw .invalidCharacter(text[position], position: position)
            }
            return flag
        }
        self.version = version
        notice = try flag(1)
        optOutOfSale = try flag(2)
        lspaCovered = try flag(3)
    }
}
