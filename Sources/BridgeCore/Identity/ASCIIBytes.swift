/// Byte-level helpers for the normalizers' ASCII fast paths.
enum ASCIIBytes {
    /// Runs `body` over the UTF-8 bytes of `value` without copying native strings.
    @inline(__always)
    static func withBytes<R>(_ value: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = value.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = value
        return copy.withUTF8(body)
    }

    /// Whitespace Python's `str.strip()` removes, restricted to ASCII.
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte) || (0x1C...0x1F).contains(byte)
    }

    @inline(__always)
    static func isUpper(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }

    @inline(__always)
    static func isLower(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isLower(byte) || isUpper(byte) || isDigit(byte) }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte | 0x20 : byte }

    /// ASCII punctuation and symbols: everything printable that is not a letter, digit or space.
    @inline(__always)
    static func isPunctuationOrSymbol(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) && !isAlphanumeric(byte)
    }

    /// The range of `bytes` without leading and trailing ASCII whitespace,
    /// or `nil` when a byte is not ASCII (the caller takes its Unicode path).
    @inline(__always)
    static func trimmedASCIIRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        for byte in bytes where byte >= 0x80 { return nil }
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return start..<end
    }

    /// A string from the first `count` bytes of `buffer` (ASCII or valid UTF-8).
    @inline(__always)
    static func string(_ buffer: UnsafeMutableBufferPointer<UInt8>, count: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<count]), as: UTF8.self)
    }

    /// True when `value` is empty after trimming (ASCII fast path, Unicode fallback).
    static func isBlank(_ value: String) -> Bool {
        let ascii: Bool? = withBytes(value) { bytes in
            guard let range = trimmedASCIIRange(bytes) else { return nil }
            return range.isEmpty
        }
        return ascii ?? UnicodeText.trimmed(value).isEmpty
    }

    /// `value` trimmed (ASCII fast path, Unicode fallback) and in NFC.
    static func trimmed(_ value: String) -> String {
        let ascii: String? = withBytes(value) { bytes in
            guard let range = trimmedASCIIRange(bytes) else { return nil }
            if range.count == bytes.count { return value }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        return ascii ?? UnicodeText.string(UnicodeText.trimmed(value))
    }
}
