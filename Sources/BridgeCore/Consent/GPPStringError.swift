/// Why a GPP string, or one of its sections, could not be decoded.
public enum GPPStringError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The string is empty.
    case empty
    /// The string is longer than the decoder accepts.
    case tooLong(length: Int, limit: Int)
    /// A character outside the Base64 URL alphabet; `section` 0 is the header.
    case invalidCharacter(Character, section: Int, position: Int)
    /// The header or a section ended before `field` could be read.
    case truncated(field: String, section: Int, atBit: Int)
    /// A Fibonacci-coded number did not terminate.
    case invalidFibonacci(field: String, section: Int, atBit: Int)
    /// The first part's type field is not 3 (a `C…` string is a bare TC string, not GPP).
    case notAGPPHeader(type: Int)
    /// The header's GPP version is not 1.
    case unsupportedVersion(Int)
    /// The header lists a different number of sections than the string carries.
    case sectionCountMismatch(declared: Int, found: Int)
    /// The section at `index` (1-based, after the header) is empty.
    case emptySection(index: Int)
    /// The `tcfeuv2` section is not a valid TC string.
    case tcfSection(TCStringError)
    /// The `uspv1` section is not a valid US Privacy string.
    case usPrivacySection(USPrivacyStringError)

    public var description: String {
        switch self {
        case .empty:
            return "GPP string is empty"
        case .tooLong(let length, let limit):
            return "GPP string has \(length) characters; at most \(limit) are accepted"
        case .invalidCharacter(let character, let section, let position):
            return "GPP string part \(section) has invalid character \(character.debugDescription) at position \(position)"
        case .truncated(let field, let section, let bit):
            return "GPP string part \(section) is truncated at bit \(bit) while reading \(field)"
        case .invalidFibonacci(let field, let section, let bit):
            return "GPP string part \(section) has an unterminated Fibonacci number at bit \(bit) in \(field)"
        case .notAGPPHeader(let type):
            return "GPP header has type \(type); expected 3 (a string starting with D)"
        case .unsupportedVersion(let version):
            return "GPP version \(version) is not supported; expected 1"
        case .sectionCountMismatch(let declared, let found):
            return "GPP header declares \(declared) sections but the string carries \(found)"
        case .emptySection(let index):
            return "GPP section \(index) is empty"
        case .tcfSection(let error):
            return "GPP tcfeuv2 section: \(error)"
        case .usPrivacySection(let error):
            return "GPP uspv1 section: \(error)"
        }
    }
}
