/// Where and why an audit chain stops verifying.
public struct AuditBreak: Sendable, Hashable, CustomStringConvertible {
    /// Why the line does not verify.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// Not JSON, or not an audit entry; the text says which key or byte
        /// offset, never the content.
        case unparseable(String)
        /// The last line of a file was cut off in the middle (interrupted
        /// write or truncated file).
        case truncatedLine
        /// The recomputed hash differs from the stored one: the line was edited.
        case hashMismatch
        /// `prev_hash` is not the previous line's hash: a line before this
        /// one was deleted, inserted or moved (or this one was).
        case previousHashMismatch
        /// The hashes link but `seq` skips: lines were removed and the chain
        /// re-hashed around them.
        case sequenceGap(expected: Int64, found: Int64)
        /// The chain ends before the head the store recorded: its newest
        /// entries were removed.
        case missingEntries(expectedThrough: Int64, foundThrough: Int64)
        /// The entry at the recorded head's sequence has another hash.
        case headMismatch(sequence: Int64)

        public var description: String {
            switch self {
            case .unparseable(let why): return "unparseable entry (\(why))"
            case .truncatedLine: return "truncated line (the file was cut in the middle of an entry)"
            case .hashMismatch: return "hash mismatch: the entry was edited"
            case .previousHashMismatch: return "previous-hash mismatch: a line was deleted, inserted or reordered"
            case .sequenceGap(let expected, let found): return "sequence gap: expected seq \(expected), found \(found)"
            case .missingEntries(let expected, let found):
                return "missing entries: the recorded head is seq \(expected) but the log ends at seq \(found)"
            case .headMismatch(let sequence): return "head mismatch: seq \(sequence) differs from the recorded head"
            }
        }
    }

    /// The file name as given.
    public var file: String
    /// The 1-based line number (for missing entries: the line after the last).
    public var line: Int
    public var reason: Reason

    public init(file: String, line: Int, reason: Reason) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }
}

/// Personal data found in clear in one line of the audit log.
public struct AuditPersonalDataFinding: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based.
    public var line: Int
    public var finding: PersonalDataFinding

    public init(file: String, line: Int, finding: PersonalDataFinding) {
        self.file = file
        self.line = line
        self.finding = finding
    }

    public var description: String { "\(file):\(line): \(finding)" }
}

/// Bytes at the end of an audit file that never became an entry (a write
/// interrupted by a crash or a full disk; see `AuditTornTail`), moved by the
/// writer to a `.torn` file. (Until the writer next starts or appends, such
/// bytes are still at the end of the newest file, where the verifier reports
/// them as a `truncatedLine` break.)
public struct AuditTornSegment: Sendable, Hashable, CustomStringConvertible {
    /// The file holding it: `audit-….jsonl` or `audit-….jsonl.torn`.
    public var file: String
    /// Its first line in that file (1-based).
    public var line: Int
    public var bytes: Int

    public init(file: String, line: Int, bytes: Int) {
        self.file = file
        self.line = line
        self.bytes = bytes
    }

    public var description: String {
        "\(file):\(line): torn segment of \(bytes) byte(s), an interrupted write that never became an entry; the chain continues from the entry before it"
    }
}

/// The outcome of `AuditVerifier.verify`.
public struct AuditVerificationReport: Sendable, Hashable {
    /// The first place the chain breaks, or `nil` when it is intact.
    public var firstBreak: AuditBreak?
    /// Entries verified before the break (all of them when intact).
    public var entriesVerified: Int
    /// The last verified entry: where a writer resuming this chain links to.
    public var head: AuditChainHead
    /// Personal data in clear, over every line (also after a break), capped
    /// at `AuditVerifier.maxFindings`.
    public var personalData: [AuditPersonalDataFinding]
    /// Torn segments moved aside (reported, not a break: nothing in them was
    /// ever an entry of the chain). The caller lists the `.torn` files.
    public var tornSegments: [AuditTornSegment] = []

    /// The chain is intact.
    public var chainIntact: Bool { firstBreak == nil }
    /// The chain is intact and no personal data was found.
    public var passed: Bool { firstBreak == nil && personalData.isEmpty }
}

/// Checks an audit log: the hash chain across its day files, and every line
/// for personal data in clear. Pure: the caller reads the files.
///
/// Per line, in order: the line parses as JSON and as an `AuditEntry`
/// (`unparseable`; a cut-off last line is `truncatedLine`); its hash
/// recomputes (`hashMismatch`); its `prev_hash` is the previous entry's hash
/// (`previousHashMismatch`); its `seq` is the previous one plus 1
/// (`sequenceGap`). After the last line, when the store's head is given, the
/// log must reach it (`missingEntries`, `headMismatch`). Only the first break
/// is reported: after it, nothing can be trusted to link.
public struct AuditVerifier: Sendable {
    /// Most personal-data findings reported.
    public var maxFindings: Int
    private let scanner: PersonalDataScanner?

    /// - Parameters:
    ///   - scanner: The personal-data scanner, or `nil` to check the chain only.
    ///   - maxFindings: Most findings reported (default 1,000).
    public init(scanner: PersonalDataScanner? = PersonalDataScanner(), maxFindings: Int = 1000) {
        self.scanner = scanner
        self.maxFindings = maxFindings
    }

    /// Verifies files given as whole texts, oldest first. A last line that is
    /// not terminated by a newline and does not parse is a `truncatedLine`.
    /// - Parameters:
    ///   - files: File names (used in the report) and contents, oldest first
    ///     (`AuditFileName.ordered` sorts names).
    ///   - start: The head the first entry links to: `.genesis`, or the last
    ///     entry of files archived away.
    ///   - expectedHead: The head the store recorded, if known.
    public func verify(
        contents files: [(name: String, text: String)], startingAfter start: AuditChainHead = .genesis,
        expectedHead: AuditChainHead? = nil
    ) -> AuditVerificationReport {
        var split: [(name: String, lines: [String])] = []
        var unterminated: Set<String> = []
        for file in files {
            var lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" {
                lines.removeLast()
            } else if !lines.isEmpty {
                unterminated.insert(file.name)
            }
            split.append((file.name, lines))
        }
        return verify(files: split, startingAfter: start, expectedHead: expectedHead, unterminated: unterminated)
    }

    /// Verifies files given as lines (without their newlines), oldest first.
    public func verify(
        files: [(name: String, lines: [String])], startingAfter start: AuditChainHead = .genesis,
        expectedHead: AuditChainHead? = nil
    ) -> AuditVerificationReport {
        verify(files: files, startingAfter: start, expectedHead: expectedHead, unterminated: [])
    }

    private func verify(
        files: [(name: String, lines: [String])], startingAfter start: AuditChainHead, expectedHead: AuditChainHead?,
        unterminated: Set<String>
    ) -> AuditVerificationReport {
        var report = AuditVerificationReport(firstBreak: nil, entriesVerified: 0, head: start, personalData: [])
        var hashAtExpected: String?
        if let expectedHead, expectedHead.sequence == start.sequence { hashAtExpected = start.hash }
        for file in files {
            for (index, line) in file.lines.enumerated() {
                let lineNumber = index + 1
                let isCutOff = unterminated.contains(file.name) && index == file.lines.count - 1
                let parsed: Result<JSONValue, JSONParseError>
                do { parsed = .success(try JSONParser.parse(line)) } catch { parsed = .failure(error) }
                scanPersonalData(parsed: try? parsed.get(), line: line, file: file.name, lineNumber: lineNumber, into: &report)
                guard report.firstBreak == nil else { continue }
                switch check(parsed, line: line, after: report.head, isCutOff: isCutOff) {
                case .broken(let reason):
                    report.firstBreak = AuditBreak(file: file.name, line: lineNumber, reason: reason)
                case .linked(let head):
                    report.head = head
                    report.entriesVerified += 1
                    if head.sequence == expectedHead?.sequence { hashAtExpected = head.hash }
                }
            }
        }
        if report.firstBreak == nil, let expectedHead {
            let last = files.last
            let position = (file: last?.name ?? "", line: (last?.lines.count ?? 0) + 1)
            if let hashAtExpected {
                if hashAtExpected != expectedHead.hash {
                    report.firstBreak = AuditBreak(file: position.file, line: position.line,
                                                   reason: .headMismatch(sequence: expectedHead.sequence))
                }
            } else if report.head.sequence < expectedHead.sequence {
                report.firstBreak = AuditBreak(
                    file: position.file, line: position.line,
                    reason: .missingEntries(expectedThrough: expectedHead.sequence, foundThrough: report.head.sequence))
            }
        }
        return report
    }

    private enum LineCheck {
        case linked(AuditChainHead)
        case broken(AuditBreak.Reason)
    }

    private func check(_ parsed: Result<JSONValue, JSONParseError>, line: String, after head: AuditChainHead, isCutOff: Bool) -> LineCheck {
        let document: JSONValue
        switch parsed {
        case .success(let value): document = value
        case .failure(let error): return .broken(isCutOff ? .truncatedLine : .unparseable(error.description))
        }
        let entry: AuditRecordLine
        do {
            entry = try AuditRecordLine(document: document)
        } catch {
            return .broken(isCutOff ? .truncatedLine : .unparseable(error.description))
        }
        guard let stored = entry.hash, entry.hashMatches(line: line.utf8) else { return .broken(.hashMismatch) }
        guard entry.previousHash == head.hash else { return .broken(.previousHashMismatch) }
        guard entry.sequence == head.sequence &+ 1 else {
            return .broken(.sequenceGap(expected: head.sequence &+ 1, found: entry.sequence))
        }
        return .linked(AuditChainHead(sequence: entry.sequence, hash: stored))
    }

    private func scanPersonalData(parsed: JSONValue?, line: String, file: String, lineNumber: Int, into report: inout AuditVerificationReport) {
        guard let scanner, report.personalData.count < maxFindings else { return }
        let findings = parsed.map(scanner.scan) ?? scanner.scan(line: line)
        for finding in findings.prefix(maxFindings - report.personalData.count) {
            report.personalData.append(AuditPersonalDataFinding(file: file, line: lineNumber, finding: finding))
        }
    }
}
