/// Compact JSON bytes written once by `JSONBytesEncoder`, with the places
/// where values a platform takes in clear (IP address, user agent, click ids,
/// page URLs) were written, so the audit log can store the same bytes with
/// each of those values replaced by a keyed digest, without parsing them.
public struct EncodedJSON: Sendable, Equatable {
    /// One clear value inside `bytes`.
    public struct ClearSpan: Sendable, Equatable {
        /// The string literal, quotes included.
        public var range: Range<Int>
        /// The value (unescaped), for its digest.
        public var value: String

        public init(range: Range<Int>, value: String) {
            self.range = range
            self.value = value
        }
    }

    /// The JSON text.
    public var bytes: [UInt8]
    /// Where clear values were written, in order.
    public var clearSpans: [ClearSpan]

    public init(bytes: [UInt8], clearSpans: [ClearSpan] = []) {
        self.bytes = bytes
        self.clearSpans = clearSpans
    }

    /// The same bytes with every clear value replaced by the JSON string
    /// `digest(value)`: what the audit log records.
    public func replacingClearValues(with digest: (String) -> String) -> [UInt8] {
        guard !clearSpans.isEmpty else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + clearSpans.count * 80)
        var copied = 0
        for span in clearSpans {
            out.append(contentsOf: bytes[copied..<span.range.lowerBound])
            JSONWriter.writeString(digest(span.value), into: &out)
            copied = span.range.upperBound
        }
        out.append(contentsOf: bytes[copied...])
        return out
    }

    /// Appends `other`, its clear spans moved with it.
    public mutating func append(_ other: EncodedJSON) {
        let offset = bytes.count
        bytes.append(contentsOf: other.bytes)
        for span in other.clearSpans {
            clearSpans.append(ClearSpan(range: (span.range.lowerBound + offset)..<(span.range.upperBound + offset), value: span.value))
        }
    }

    /// The text, for tests and diagnostics (holds clear values: never log it).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A value a platform takes in clear (IP address, user agent, click id, page
/// URL): written as a JSON string and recorded as a clear span, so the audit
/// log replaces it by its keyed digest. Other encoders see a plain string.
public struct ClearText: Encodable, Sendable, Hashable {
    public let value: String
    /// Written as a JSON number (its text), not a string: a clear value the
    /// platform takes as a number. The audit log still records its digest.
    public let isNumber: Bool

    public init(_ value: String) {
        self.value = value
        self.isNumber = false
    }

    /// A clear number, written exactly as `text` (a valid JSON number).
    public init(number text: String) {
        self.value = text
        self.isNumber = true
    }

    public func encode(to encoder: any Encoder) throws {
        if let bytes = encoder as? JSONBytesEncoder.Impl {
            bytes.state.writeClear(value, asNumber: isNumber)
            bytes.wroteValue()
        } else {
            var container = encoder.singleValueContainer()
            try container.encode(value)
        }
    }
}

/// A JSON number written exactly as its text (`34.00`, `820982911946154508`):
/// amounts keep their currency's decimals and ids never pass through `Double`.
/// The text must be a valid JSON number (the formatters that make it are).
public struct JSONNumberText: Encodable, Sendable, Hashable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public init<I: BinaryInteger>(_ value: I) { self.text = String(value) }

    public func encode(to encoder: any Encoder) throws {
        if let bytes = encoder as? JSONBytesEncoder.Impl {
            bytes.state.bytes.append(contentsOf: text.utf8)
            bytes.wroteValue()
        } else {
            var container = encoder.singleValueContainer()
            try container.encode(Double(text) ?? 0)
        }
    }
}

/// JSON already encoded (an item inside a request envelope): written as is,
/// its clear spans kept.
public struct JSONFragment: Encodable, Sendable, Equatable {
    public let encoded: EncodedJSON

    public init(_ encoded: EncodedJSON) { self.encoded = encoded }

    public func encode(to encoder: any Encoder) throws {
        guard let bytes = encoder as? JSONBytesEncoder.Impl else {
            throw EncodingError.invalidValue(
                self, EncodingError.Context(codingPath: encoder.codingPath, debugDescription: "a JSON fragment needs JSONBytesEncoder"))
        }
        bytes.state.append(encoded)
        bytes.wroteValue()
    }
}
