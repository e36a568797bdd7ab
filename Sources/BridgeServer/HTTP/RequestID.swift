/// The identifier of one HTTP request, echoed in `X-Request-Id` and written
/// in its access-log line. An incoming `X-Request-Id` is kept when it is
/// sane (1–128 characters from `A–Z a–z 0–9 - _ . :`), so a proxy's id
/// joins the bridge's lines; anything else is replaced by a new random id,
/// so a header cannot smuggle text (or personal data such as an e-mail
/// address) into the logs.
public struct RequestID: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// Longest incoming id kept, in bytes.
    public static let maxLength = 128

    /// The incoming id when it is sane, else `nil`.
    public init?(incoming: String?) {
        guard let incoming, (1...Self.maxLength).contains(incoming.utf8.count),
            incoming.utf8.allSatisfy(Self.isAllowed)
        else { return nil }
        value = incoming
    }

    /// `incoming` when sane, else a new id.
    public init(honouring incoming: String?) {
        self = RequestID(incoming: incoming) ?? RequestID.generate()
    }

    private init(generated: String) { value = generated }

    /// A new random id: 32 lower-case hex digits (128 bits).
    public static func generate() -> RequestID {
        var generator = SystemRandomNumberGenerator()
        return RequestID(generated: hex(generator.next()) + hex(generator.next()))
    }

    public var description: String { value }

    private static func hex(_ number: UInt64) -> String {
        let digits = String(number, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"): return true
        default: return false
        }
    }
}
