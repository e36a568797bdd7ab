/// Why a US Privacy string could not be decoded.
public enum USPrivacyStringError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The string does not have exactly four characters.
    case wrongLength(Int)
    /// The version character is a digit other than `1`.
    case unsupportedVersion(Int)
    /// A character that is not allowed at that 0-based position.
    case invalidCharacter(Character, position: Int)

    public var description: String {
        switch self {
        case .wrongLength(let count):
            return "US Privacy string has \(count) characters; expected 4 (e.g. 1YNN)"
        case .unsupportedVersion(let version):
            return "US Privacy string version \(version) is not supported; expected 1"
        case .invalidCharacter(let character, let position):
            return "US Privacy string has \(character.debugDescription) at position \(position); expected a version digit, then Y, N or -"
        }
    }
}
