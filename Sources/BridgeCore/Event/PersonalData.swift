/// A raw personal value (an email address, a phone number, a name, an IP
/// address, a click id) as the source sent it.
///
/// Its `description`, `debugDescription` and reflection print `<redacted>`, so
/// a stray string interpolation, `dump` or log line cannot leak it. Read the
/// value only through `rawValue`, at the places that normalize, hash or seal it.
public struct PersonalData: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable, ExpressibleByStringLiteral
{
    /// The value exactly as received.
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
