/// Why a TC string could not be decoded. Cases name the field and bit
/// position so a CMP integrator can find the fault; none carries personal data
/// (a TC string holds consent choices, not identifiers).
public enum TCStringError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The string (or its core segment) is empty.
    case empty
    /// The string is longer than the decoder accepts.
    case tooLong(length: Int, limit: Int)
    /// A character outside the Base64 URL alphabet, at a 0-based position within its segment.
    case invalidCharacter(Character, segment: Int, position: Int)
    /// Two dots in a row, or a trailing dot: segment `index` (0 = core) is empty.
    case emptySegment(index: Int)
    /// The segment ended before `field` could be read; `atBit` is the bit offset within the segment.
    case truncated(field: String, segment: Int, atBit: Int)
    /// The core segment's version is not 2 (a `B…` string is TCF v1.1).
    case unsupportedVersion(Int)
    /// A range entry ends before it starts.
    case rangeEndBeforeStart(field: String, start: Int, end: Int)
    /// A letter field (language, country) holds a value outside `a`…`z` (0…25).
    case invalidLetter(field: String, value: Int)
    /// An optional segment declares type 0 (core) or a type that may not appear there.
    case unexpectedSegmentType(Int, segment: Int)

    public var description: String {
        switch self {
        case .empty:
            return "TC string is empty"
        case .tooLong(let length, let limit):
            return "TC string has \(length) characters; at most \(limit) are accepted"
        case .invalidCharacter(let character, let segment, let position):
            return
                "TC string segment \(segment) has invalid character \(character.debugDescription) at position \(position); expected Base64 URL (A-Z a-z 0-9 - _)"
        case .emptySegment(let index):
            return "TC string segment \(index) is empty"
        case .truncated(let field, let segment, let bit):
            return "TC string segment \(segment) is truncated at bit \(bit) while reading \(field)"
        case .unsupportedVersion(let version):
            return "TC string version \(version) is not supported; only TCF v2 (version 2) is"
        case .rangeEndBeforeStart(let field, let start, let end):
            return "TC string \(field) has a range ending at \(end) before its start \(start)"
        case .invalidLetter(let field, let value):
            return "TC string \(field) holds letter value \(value); expected 0 (a) to 25 (z)"
        case .unexpectedSegmentType(let type, let segment):
            return "TC string segment \(segment) has segment type \(type); expected 1 (disclosed vendors), 2 (allowed vendors) or 3 (publisher TC)"
        }
    }
}
