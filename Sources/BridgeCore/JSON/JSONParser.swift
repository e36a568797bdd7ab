/// Why a byte sequence is not a JSON document we accept.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset of the problem in the input.
    public let offset: Int
    /// What was wrong, without echoing the input.
    public let reason: String

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A strict RFC 8259 JSON parser.
///
/// Strict where it matters for signed webhooks: rejects invalid UTF-8, lone
/// surrogates, duplicate object keys, trailing data and nesting deeper than
/// `maxDepth` (so a hostile body cannot exhaust the stack). Numbers are kept as
/// text.
public struct JSONParser {
    /// The deepest nesting accepted.
    public static let maxDepth = 64

    /// Parses a complete document.
    /// - Throws: `JSONParseError` with the byte offset of the first problem.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var parser = JSONScanner(buffer: buffer)
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.index == buffer.count else {
                throw parser.error("unexpected data after the document")
            }
            return value
        }
    }

    /// Parses a complete document held in a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}
