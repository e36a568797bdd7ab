/// Finds where an audit file stops being whole after an interrupted write
/// (a crash or a full disk in the middle of an append): the bytes after the
/// last line that reads as an audit entry are a *torn segment*. (A last entry
/// that lost only its newline is whole; the writer adds the newline.) The writer moves such a segment aside (to
/// `<file>.torn`) before it appends, so the chain continues from the last
/// intact entry, and `audit verify` reports it.
///
/// Only what cannot be an entry is torn: a line that parses as an entry is
/// kept even if its hash is wrong, so that tampering stays visible to the
/// verifier instead of being moved out of the way.
public enum AuditTornTail {
    /// The length of the intact part of `tail`, the last bytes of a file.
    /// - Parameters:
    ///   - tail: the file's last bytes.
    ///   - isWholeFile: `tail` starts at the file's first byte. Otherwise its
    ///     first line may be cut and is never judged.
    /// - Returns: the intact length (equal to `tail.count` when nothing is
    ///   torn), or `nil` when the window holds no entry and is not the whole
    ///   file (read a larger window).
    public static func intactLength(of tail: ArraySlice<UInt8>, isWholeFile: Bool) -> Int? {
        let newline = UInt8(ascii: "\n")
        var end = tail.endIndex
        // What follows the last newline: a whole entry that only lost its
        // newline is intact; anything else there is torn.
        while end > tail.startIndex, tail[end - 1] != newline { end -= 1 }
        if end < tail.endIndex, end > tail.startIndex || isWholeFile, isEntry(tail[end...]) { return tail.count }
        while end > tail.startIndex {
            // The line ending at `end - 1` (its newline).
            var start = end - 1
            while start > tail.startIndex, tail[start - 1] != newline { start -= 1 }
            let isJudgeable = isWholeFile || start > tail.startIndex
            guard isJudgeable else { return nil }
            if isEntry(tail[start..<(end - 1)]) { return end - tail.startIndex }
            end = start
        }
        return isWholeFile ? 0 : nil
    }

    /// Whether `line` reads as an audit entry.
    static func isEntry(_ line: ArraySlice<UInt8>) -> Bool {
        (try? AuditRecordLine(line: line)) != nil
    }
}
