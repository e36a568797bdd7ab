/// A W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/):
/// `version-traceid-parentid-flags`, e.g.
/// `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`.
///
/// Ingest continues a valid incoming one (same trace id, a new span id for
/// the bridge) or starts a new trace; the result is stored with each event,
/// named in the prepare and deliver log lines (`trace_id`) and sent to the
/// platforms, with a new span id per outbound request.
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    /// 32 lower-case hex digits, not all zero.
    public let traceID: String
    /// 16 lower-case hex digits, not all zero: the span this context names.
    public let spanID: String
    /// The trace flags (bit 0: sampled).
    public let flags: UInt8

    /// The `sampled` flag.
    public static let sampled: UInt8 = 0x01

    /// Parses a header value per the specification's rules for receivers;
    /// `nil` when it is invalid (then a new trace is started).
    ///
    /// - Version `00`: exactly 55 characters.
    /// - A later version (not `ff`): its first 55 characters parse as
    ///   version `00`'s, and a longer value continues with `-`.
    /// - Hex digits are lower-case; the trace id and the parent id are not all zero.
    public init?(header: String) {
        let value = Array(header.utf8.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed())
        guard value.count >= 55, Self.isHex(value[0..<2]), value[2] == dash, value[35] == dash, value[52] == dash else { return nil }
        let version = Self.byte(value[0], value[1])
        guard version != 0xFF else { return nil }
        if version == 0 {
            guard value.count == 55 else { return nil }
        } else if value.count > 55, value[55] != dash {
            return nil
        }
        let trace = value[3..<35]
        let span = value[36..<52]
        let flags = value[53..<55]
        guard Self.isHex(trace), Self.isHex(span), Self.isHex(flags), trace.contains(where: { $0 != zero }), span.contains(where: { $0 != zero })
        else { return nil }
        self.traceID = String(decoding: trace, as: UTF8.self)
        self.spanID = String(decoding: span, as: UTF8.self)
        self.flags = Self.byte(flags[flags.startIndex], flags[flags.startIndex + 1])
    }

    /// A context from its parts (already valid, e.g. read back from the store).
    init(traceID: String, spanID: String, flags: UInt8) {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
    }

    /// A new trace (random trace and span ids, sampled).
    public static func start(using generator: inout some RandomNumberGenerator) -> TraceParent {
        TraceParent(traceID: hex(nonZero(&generator)) + hex(generator.next()), spanID: hex(nonZero(&generator)), flags: sampled)
    }

    /// A new trace from the system's random number generator.
    public static func start() -> TraceParent {
        var generator = SystemRandomNumberGenerator()
        return start(using: &generator)
    }

    /// The same trace and flags with a new span id: the bridge's own span
    /// at ingest, or one outbound request.
    public func child(using generator: inout some RandomNumberGenerator) -> TraceParent {
        TraceParent(traceID: traceID, spanID: Self.hex(Self.nonZero(&generator)), flags: flags)
    }

    /// `child(using:)` with the system's random number generator.
    public func child() -> TraceParent {
        var generator = SystemRandomNumberGenerator()
        return child(using: &generator)
    }

    /// The context ingest stores for a request carrying `header`: a child of
    /// a valid one, else a new trace.
    public static func continuing(_ header: String?) -> TraceParent {
        header.flatMap(TraceParent.init(header:))?.child() ?? start()
    }

    /// The header value, always version `00`.
    public var header: String {
        let flagDigits = String(flags, radix: 16)
        return "00-\(traceID)-\(spanID)-\(flagDigits.count == 1 ? "0" : "")\(flagDigits)"
    }

    public var description: String { header }


    private static func isHex(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : byte - UInt8(ascii: "a") + 10
    }

    private static func byte(_ high: UInt8, _ low: UInt8) -> UInt8 { nibble(high) << 4 | nibble(low) }

    private static func nonZero(_ generator: inout some RandomNumberGenerator) -> UInt64 {
        var value: UInt64 = 0
        while value == 0 { value = generator.next() }
        return value
    }

    private static func hex(_ number: UInt64) -> String {
        let digits = String(number, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

private let dash = UInt8(ascii: "-")
private let zero = UInt8(ascii: "0")
