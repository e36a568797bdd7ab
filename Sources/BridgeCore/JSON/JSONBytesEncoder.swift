/// Encodes `Encodable` values straight to compact JSON bytes, in one pass:
/// object members in the order `encode(to:)` writes them (declaration order
/// for synthesized conformances), `nil` optionals left out, strings escaped
/// as `JSONWriter` does, numbers exactly as `JSONNumberText` gives them, and
/// the positions of `ClearText` values recorded (`EncodedJSON.clearSpans`).
///
/// Streaming: a value's container is opened when its `encode(to:)` asks for
/// it and closed when `encode(to:)` returns, so nothing is built in between.
/// For that reason `nestedContainer`, `nestedUnkeyedContainer` and
/// `superEncoder` are not supported (synthesized conformances never call
/// them): they throw `EncodingError.invalidValue`.
public enum JSONBytesEncoder {
    /// Encodes `value`.
    /// - Throws: `EncodingError` for a non-finite floating-point number or an
    ///   unsupported container; the payload types of this project never do.
    public static func encode(_ value: some Encodable, capacity: Int = 512) throws -> EncodedJSON {
        let state = State(capacity: capacity)
        let root = Impl(state: state, depth: 0)
        try root.encodeValue(value)
        return EncodedJSON(bytes: state.bytes, clearSpans: state.clearSpans)
    }

    /// The output being written, and the values open around the one being
    /// written (`frames`, innermost last): a stack rather than an object per
    /// value, since a value is finished before its parent writes the next.
    final class State {
        var bytes: [UInt8]
        var clearSpans: [EncodedJSON.ClearSpan] = []
        var frames: [Frame]
        /// The coding path above the root (a `superEncoder`'s).
        let basePath: [any CodingKey]

        init(capacity: Int, basePath: [any CodingKey] = []) {
            bytes = []
            bytes.reserveCapacity(capacity)
            frames = [Frame(key: nil)]
            frames.reserveCapacity(8)
            self.basePath = basePath
        }

        func writeClear(_ value: String, asNumber: Bool = false) {
            let start = bytes.count
            if asNumber { bytes.append(contentsOf: value.utf8) } else { JSONWriter.writeString(value, into: &bytes) }
            clearSpans.append(EncodedJSON.ClearSpan(range: start..<bytes.count, value: value))
        }

        func append(_ encoded: EncodedJSON) {
            let offset = bytes.count
            bytes.append(contentsOf: encoded.bytes)
            for span in encoded.clearSpans {
                clearSpans.append(EncodedJSON.ClearSpan(range: (span.range.lowerBound + offset)..<(span.range.upperBound + offset), value: span.value))
            }
        }

        /// Writes the separator before the next member or element of the value at `depth`.
        func comma(at depth: Int) {
            if frames[depth].count > 0 { bytes.append(UInt8(ascii: ",")) }
            frames[depth].count += 1
        }
    }

    /// What one value wrote: nothing yet, a single value, or an open object
    /// or array; and the key it is written under.
    struct Frame {
        enum Kind { case empty, value, object, array }
        var kind = Kind.empty
        /// Members or elements written so far.
        var count = 0
        let key: (any CodingKey)?

        init(key: (any CodingKey)?) { self.key = key }
    }

    /// The `Encoder` handed to one value's `encode(to:)`: the value at
    /// `depth` of the state's frames.
    struct Impl: Encoder {
        let state: State
        let depth: Int
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        /// Built when asked for (errors only), not for every value.
        var codingPath: [any CodingKey] { state.basePath + state.frames[1..<(depth + 1)].compactMap(\.key) }

        var kind: Frame.Kind {
            get { state.frames[depth].kind }
            nonmutating set { state.frames[depth].kind = newValue }
        }

        /// Marks this frame as holding a value written straight into the bytes.
        func wroteValue() { if kind == .empty { kind = .value } }

        /// Encodes `value` into this frame, then closes what it opened.
        func encodeValue(_ value: some Encodable) throws {
            try value.encode(to: self)
            switch kind {
            case .empty: state.bytes.append(contentsOf: "null".utf8)
            case .value: break
            case .object: state.bytes.append(UInt8(ascii: "}"))
            case .array: state.bytes.append(UInt8(ascii: "]"))
            }
        }

        /// Encodes `value` as a new child (a member or an element).
        func encodeChild(_ value: some Encodable, key: (any CodingKey)?) throws {
            state.frames.append(Frame(key: key))
            defer { state.frames.removeLast() }
            try Impl(state: state, depth: depth + 1).encodeValue(value)
        }

        func open(_ kind: Frame.Kind) throws {
            switch (self.kind, kind) {
            case (.empty, .object): state.bytes.append(UInt8(ascii: "{"))
            case (.empty, .array): state.bytes.append(UInt8(ascii: "["))
            case (.object, .object), (.array, .array): return
            default:
                throw EncodingError.invalidValue(
                    kind, EncodingError.Context(codingPath: codingPath, debugDescription: "a value asked for two kinds of container"))
            }
            self.kind = kind
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let failure: (any Error)? = {
                do { try open(.object) } catch { return error }
                return nil
            }()
            return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self, failure: failure))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let failure: (any Error)? = {
                do { try open(.array) } catch { return error }
                return nil
            }()
            return UnkeyedContainer(encoder: self, failure: failure)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            SingleValueContainer(encoder: self)
        }

        // MARK: - Scalars

        func write(_ text: String) {
            state.bytes.append(contentsOf: text.utf8)
        }

        func writeString(_ value: String) {
            JSONWriter.writeString(value, into: &state.bytes)
        }

        func writeFloat(_ value: Double) throws {
            guard value.isFinite else {
                throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: codingPath, debugDescription: "not a finite number"))
            }
            if value == value.rounded(), abs(value) < 1e15 { write(String(Int64(value))) } else { write(String(value)) }
        }

        static func unsupported(_ what: String, _ codingPath: [any CodingKey]) -> EncodingError {
            EncodingError.invalidValue(what, EncodingError.Context(codingPath: codingPath, debugDescription: "\(what) is not supported by JSONBytesEncoder"))
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: Impl
        let failure: (any Error)?
        var codingPath: [any CodingKey] { encoder.codingPath }

        func key(_ key: Key) throws {
            if let failure { throw failure }
            encoder.state.comma(at: encoder.depth)
            encoder.writeString(key.stringValue)
            encoder.state.bytes.append(UInt8(ascii: ":"))
        }

        mutating func encodeNil(forKey key: Key) throws {
            try self.key(key)
            encoder.write("null")
        }
        mutating func encode(_ value: Bool, forKey key: Key) throws {
            try self.key(key)
            encoder.write(value ? "true" : "false")
        }
        mutating func encode(_ value: String, forKey key: Key) throws {
            try self.key(key)
            encoder.writeString(value)
        }
        mutating func encode(_ value: Double, forKey key: Key) throws {
            try self.key(key)
            try encoder.writeFloat(value)
        }
        mutating func encode(_ value: Float, forKey key: Key) throws {
            try self.key(key)
            try encoder.writeFloat(Double(value))
        }
        mutating func encode(_ value: Int, forKey key: Key) throws {
            try self.key(key)
            encoder.write(String(value))
        }
        mutating func encode(_ value: Int8, forKey key: Key) throws { try encode(Int(value), forKey: key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { try encode(Int(value), forKey: key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { try encode(Int(value), forKey: key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws {
            try self.key(key)
            encoder.write(String(value))
        }
        mutating func encode(_ value: UInt, forKey key: Key) throws {
            try self.key(key)
            encoder.write(String(value))
        }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { try encode(UInt(value), forKey: key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { try encode(UInt(value), forKey: key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { try encode(UInt(value), forKey: key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws {
            try self.key(key)
            encoder.write(String(value))
        }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try self.key(key)
            try encoder.encodeChild(value, key: key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder, failure: Impl.unsupported("nestedContainer", codingPath)))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            UnkeyedContainer(encoder: encoder, failure: Impl.unsupported("nestedUnkeyedContainer", codingPath))
        }
        mutating func superEncoder() -> any Encoder { FailingEncoder(codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { FailingEncoder(codingPath: codingPath) }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let encoder: Impl
        let failure: (any Error)?
        var codingPath: [any CodingKey] { encoder.codingPath }
        var count: Int { encoder.state.frames[encoder.depth].count }

        func element() throws {
            if let failure { throw failure }
            encoder.state.comma(at: encoder.depth)
        }

        mutating func encodeNil() throws {
            try element()
            encoder.write("null")
        }
        mutating func encode(_ value: Bool) throws {
            try element()
            encoder.write(value ? "true" : "false")
        }
        mutating func encode(_ value: String) throws {
            try element()
            encoder.writeString(value)
        }
        mutating func encode(_ value: Double) throws {
            try element()
            try encoder.writeFloat(value)
        }
        mutating func encode(_ value: Float) throws {
            try element()
            try encoder.writeFloat(Double(value))
        }
        mutating func encode(_ value: Int) throws {
            try element()
            encoder.write(String(value))
        }
        mutating func encode(_ value: Int8) throws { try encode(Int(value)) }
        mutating func encode(_ value: Int16) throws { try encode(Int(value)) }
        mutating func encode(_ value: Int32) throws { try encode(Int(value)) }
        mutating func encode(_ value: Int64) throws {
            try element()
            encoder.write(String(value))
        }
        mutating func encode(_ value: UInt) throws {
            try element()
            encoder.write(String(value))
        }
        mutating func encode(_ value: UInt8) throws { try encode(UInt(value)) }
        mutating func encode(_ value: UInt16) throws { try encode(UInt(value)) }
        mutating func encode(_ value: UInt32) throws { try encode(UInt(value)) }
        mutating func encode(_ value: UInt64) throws {
            try element()
            encoder.write(String(value))
        }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try element()
            try encoder.encodeChild(value, key: nil)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder, failure: Impl.unsupported("nestedContainer", codingPath)))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            UnkeyedContainer(encoder: encoder, failure: Impl.unsupported("nestedUnkeyedContainer", codingPath))
        }
        mutating func superEncoder() -> any Encoder { FailingEncoder(codingPath: codingPath) }
    }

    struct SingleValueContainer: SingleValueEncodingContainer {
        let encoder: Impl
        var codingPath: [any CodingKey] { encoder.codingPath }

        func scalar(_ write: () throws -> Void) throws {
            guard encoder.kind == .empty else { throw Impl.unsupported("a second single value", codingPath) }
            try write()
            encoder.kind = .value
        }

        mutating func encodeNil() throws { try scalar { encoder.write("null") } }
        mutating func encode(_ value: Bool) throws { try scalar { encoder.write(value ? "true" : "false") } }
        mutating func encode(_ value: String) throws { try scalar { encoder.writeString(value) } }
        mutating func encode(_ value: Double) throws { try scalar { try encoder.writeFloat(value) } }
        mutating func encode(_ value: Float) throws { try scalar { try encoder.writeFloat(Double(value)) } }
        mutating func encode(_ value: Int) throws { try scalar { encoder.write(String(value)) } }
        mutating func encode(_ value: Int8) throws { try encode(Int(value)) }
        mutating func encode(_ value: Int16) throws { try encode(Int(value)) }
        mutating func encode(_ value: Int32) throws { try encode(Int(value)) }
        mutating func encode(_ value: Int64) throws { try scalar { encoder.write(String(value)) } }
        mutating func encode(_ value: UInt) throws { try scalar { encoder.write(String(value)) } }
        mutating func encode(_ value: UInt8) throws { try encode(UInt(value)) }
        mutating func encode(_ value: UInt16) throws { try encode(UInt(value)) }
        mutating func encode(_ value: UInt32) throws { try encode(UInt(value)) }
        mutating func encode(_ value: UInt64) throws { try scalar { encoder.write(String(value)) } }
        mutating func encode<T: Encodable>(_ value: T) throws {
            // The value writes into this same frame (a wrapper encoding its
            // payload as itself).
            try value.encode(to: encoder)
        }
    }

    /// What `superEncoder` returns: every use throws.
    struct FailingEncoder: Encoder {
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let impl = Impl(state: State(capacity: 0, basePath: codingPath), depth: 0)
            return KeyedEncodingContainer(KeyedContainer<Key>(encoder: impl, failure: Impl.unsupported("superEncoder", codingPath)))
        }
        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let impl = Impl(state: State(capacity: 0, basePath: codingPath), depth: 0)
            return UnkeyedContainer(encoder: impl, failure: Impl.unsupported("superEncoder", codingPath))
        }
        func singleValueContainer() -> any SingleValueEncodingContainer {
            SingleValueContainer(encoder: Impl(state: State(capacity: 0, basePath: codingPath), depth: 0))
        }
    }
}
