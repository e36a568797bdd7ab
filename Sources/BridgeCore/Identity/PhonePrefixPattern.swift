/// The regex form of libphonenumber's national-prefix-for-parsing rule,
/// needed by about thirty regions (NANPA islands, Argentina, Brazil, Japan…)
/// whose rule is not a plain list of prefixes. Compiled per use: `Regex` is
/// not `Sendable`, and these regions are rare enough not to matter for speed.
enum PhonePrefixPattern {
    /// Strips (or transforms) the national prefix like libphonenumber does.
    static func strip(
        _ number: ArraySlice<UInt8>, pattern: String, transform: String?, region: PhoneRegion
    ) -> (number: ArraySlice<UInt8>, didStrip: Bool) {
        guard let regex = try? Regex(pattern) else { return (number, false) }
        let text = String(decoding: number, as: UTF8.self)
        guard let match = text.prefixMatch(of: regex) else { return (number, false) }
        let output = match.output
        let rest = Array(text[match.range.upperBound...].utf8)[...]
        let viableOriginal = region.isViableLength(number.count)
        let lastGroupMatched = output.count > 1 && output[output.count - 1].substring != nil
        guard let transform, lastGroupMatched else {
            if viableOriginal && !region.isViableLength(rest.count) { return (number, false) }
            return (rest, true)
        }
        var transformed: [UInt8] = []
        var bytes = transform.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "$"), let next = bytes.next() {
                let group = Int(next &- 0x30)
                if group < output.count, let captured = output[group].substring {
                    transformed.append(contentsOf: captured.utf8)
                }
            } else {
                transformed.append(byte)
            }
        }
        transformed.append(contentsOf: rest)
        if viableOriginal && !region.isViableLength(transformed.count) { return (number, false) }
        return (transformed[...], true)
    }
}
