/// A parsed JSON document.
///
/// Numbers keep their exact source text (`number("820982911946154508")`), so
/// 64-bit ids and decimal amounts never pass through `Double`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number exactly as written in the source (validated JSON number grammar).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object; `nil` for a missing key or a non-object.
    @inlinable
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The element at `index` of an array; `nil` when out of range or not an array.
    @inlinable
    public subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    /// The string value, or `nil` for any other kind.
    @inlinable
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A non-empty string after trimming white space; `nil` for null, other kinds
    /// and blank strings. Sources send `""` and `null` interchangeably for "absent".
    public var nonBlankString: String? {
        guard case .string(let s) = self else { return nil }
        return s.isBlank ? nil : s
    }

    /// The number's source text, or `nil` for any other kind.
    @inlinable
    public var numberText: String? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// A string or the text of a number: ids arrive as either.
    public var scalarText: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n
        default: return nil
        }
    }

    @inlinable
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    @inlinable
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    @inlinable
    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    @inlinable
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value at a path of object keys, e.g. `value[path: "customer", "email"]`.
    public subscript(path keys: String...) -> JSONValue? {
        var current: JSONValue? = self
        for key in keys { current = current?[key] }
        return current
    }

    /// The JSON type name used in schema errors.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension String {
    /// The string without leading and trailing white space (spaces, tabs, newlines,
    /// and Unicode spaces such as U+00A0). Returns `self` unchanged, without
    /// copying, when there is nothing to trim (the common case).
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        if !first.properties.isWhitespace, !last.properties.isWhitespace { return self }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }

    /// True when the string is empty or only white space (no copy made).
    public var isBlank: Bool {
        unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
}

extension String {
    /// True when the string's UTF-8 bytes contain `needle`'s: a byte search
    /// for pre-filters on the per-event path (`contains(_:)` on `String` goes
    /// through String Processing's Character matching, an order of magnitude
    /// slower). Unlike it, an ASCII needle followed by a combining mark still
    /// matches here, so use it only where a false match costs a closer look.
    public func containsBytes(_ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard count > 0 else { return true }
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: count)
        var text = self
        return text.withUTF8 { bytes in
            guard bytes.count >= count else { return false }
            let first = pattern[0]
            var i = 0
            while i <= bytes.count - count {
                if bytes[i] == first {
                    var j = 1
                    while j < count, bytes[i + j] == pattern[j] { j += 1 }
                    if j == count { return true }
                }
                i += 1
            }
            return false
        }
    }
}
