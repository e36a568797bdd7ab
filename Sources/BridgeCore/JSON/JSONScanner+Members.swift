/// Walking objects and arrays member by member, for readers that decode
/// straight into typed values. Every method returns `nil` or `false` (never
/// throws) on anything other than what the caller expects: such a reader
/// gives up and the caller falls back to parsing a tree.
extension JSONScanner {
    /// The next significant byte, after white space.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < buffer.count ? buffer[index] : nil
    }

    /// Consumes `byte` when it is next (after white space).
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// Consumes `null` when it is next.
    mutating func consumeNull() -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        do { try expectLiteral("null") } catch { return false }
        return true
    }

    /// The key of the next member of an object whose `{` was consumed, with
    /// its `:` consumed; `nil` at the closing `}` (consumed) or on bad input
    /// (`ok` false then).
    mutating func nextKey(first: inout Bool, ok: inout Bool) -> String? {
        if consume(UInt8(ascii: "}")) { return nil }
        if !first {
            guard consume(UInt8(ascii: ",")) else {
                ok = false
                return nil
            }
        }
        first = false
        guard peek() == UInt8(ascii: "\""), let key = try? parseString(), consume(UInt8(ascii: ":")) else {
            ok = false
            return nil
        }
        return key
    }

    /// Whether another element of an array whose `[` was consumed follows
    /// (its separator consumed); `false` at the closing `]` (consumed) or on
    /// bad input (`ok` false then).
    mutating func nextElement(first: inout Bool, ok: inout Bool) -> Bool {
        if consume(UInt8(ascii: "]")) { return false }
        if !first {
            guard consume(UInt8(ascii: ",")) else {
                ok = false
                return false
            }
        }
        first = false
        skipWhitespace()
        return true
    }

    /// A string value, or `nil` when the next value is not a string.
    mutating func stringValue() -> String? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        return try? parseString()
    }

    /// A boolean value, or `nil` when the next value is not `true`/`false`.
    mutating func boolValue() -> Bool? {
        switch peek() {
        case UInt8(ascii: "t")?: return (try? expectLiteral("true")) == nil ? nil : true
        case UInt8(ascii: "f")?: return (try? expectLiteral("false")) == nil ? nil : false
        default: return nil
        }
    }

    /// A non-negative integer written with digits only (no sign, fraction or
    /// exponent) of at most 15 digits, or `nil`.
    mutating func plainInteger() -> Int? {
        guard let first = peek(), isDigit(first) else { return nil }
        guard let text = try? parseNumber(), text.utf8.count <= 15, text.utf8.allSatisfy(isDigit) else { return nil }
        return Int(text)
    }

    /// A number's JSON text, or `nil` when the next value is not a number.
    mutating func numberText() -> String? {
        guard let first = peek(), first == UInt8(ascii: "-") || isDigit(first) else { return nil }
        return try? parseNumber()
    }

    /// Parses and discards any value (for members a reader does not read).
    mutating func skipValue() -> Bool {
        skipWhitespace()
        return (try? parseValue(depth: 1)) != nil
    }

    /// Whether nothing but white space is left.
    mutating func atEnd() -> Bool { peek() == nil }
}
