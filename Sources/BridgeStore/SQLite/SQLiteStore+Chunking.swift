extension SQLiteStore {
    /// The most values bound to one statement. SQLite refuses more than
    /// `SQLITE_MAX_VARIABLE_NUMBER` (999 before 3.32, 32,766 since; a build
    /// may set it lower), so statements over lists of any length (erasure,
    /// dead-letter ids) run once per chunk of this many, in one transaction.
    static let maxVariables = 500
}

extension Collection {
    /// Consecutive slices of at most `size` elements, in order.
    func chunked(_ size: Int) -> [SubSequence] {
        precondition(size > 0, "chunk size must be positive")
        var chunks: [SubSequence] = []
        var start = startIndex
        while start != endIndex {
            let end = index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex
            chunks.append(self[start..<end])
            start = end
        }
        return chunks
    }
}
