import BridgeCore
import Foundation

/// Finds the audit entries that hold one event: the consent notes and
/// request attempts naming its id, and the outcomes of those attempts
/// (linked by batch id). Bounded: only the day files from the day the event
/// arrived through the day of its last recorded activity (plus one, for a
/// batch sent around midnight), at most `maxFiles` of them, read in chunks;
/// a line is parsed only when its bytes contain the event id or a batch id
/// already matched.
public struct AuditLocator: Sendable {
    /// Where one entry is.
    public struct Location: Sendable, Equatable {
        /// The day file (`audit-YYYY-MM-DD.jsonl`).
        public var file: String
        /// 1-based line number in the file.
        public var line: Int
        public var sequence: Int64
        /// `attempt`, `outcome`, `note` (`request` for format 1).
        public var kind: String
        public var at: Timestamp
        public var destination: String
        public var batchID: String
        /// The entry's own hash (`hash`).
        public var hash: String
        /// Outcomes: the answer's status.
        public var responseStatus: Int?
    }

    /// What a search found, and where it looked.
    public struct Result: Sendable, Equatable {
        public var entries: [Location]
        public var filesSearched: [String]
        /// More day files fell in the window than were searched.
        public var truncated: Bool
    }

    public let directory: URL
    public let maxFiles: Int

    public init(directory: URL, maxFiles: Int = 35) {
        self.directory = directory
        self.maxFiles = max(1, maxFiles)
    }

    /// The entries holding `eventID` in the day files from `from`'s day
    /// through the day after `through`, in file and line order.
    /// - Throws: when the directory cannot be listed or a file read.
    public func locate(eventID: String, from: Timestamp, through: Timestamp) throws -> Result {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let firstDay = AuditFileName.day(ofFileNamed: AuditFileName.name(for: from)) ?? from
        let lastDay = (AuditFileName.day(ofFileNamed: AuditFileName.name(for: through)) ?? through).advanced(by: .seconds(86_400))
        let inWindow = AuditFileName.ordered(names).filter { name in
            guard let day = AuditFileName.day(ofFileNamed: name) else { return false }
            return day >= firstDay && day <= lastDay
        }
        let files = Array(inWindow.prefix(maxFiles))
        var needle: [UInt8] = []
        JSONWriter.writeString(eventID, into: &needle)
        var batches = Set<String>()
        var found: [Location] = []
        for file in files {
            try Self.forEachLine(in: directory.appendingPathComponent(file)) { number, line in
                let namesEvent = Self.contains(line, needle)
                let batch = namesEvent || batches.isEmpty ? nil : Self.batchID(in: line)
                guard namesEvent || batch.map(batches.contains) == true else { return }
                guard let record = try? AuditRecordLine(line: line) else { return }
                if namesEvent, !record.eventIDs.contains(eventID) { return }
                if !namesEvent, record.kind != AuditRecord.Kind.outcome.rawValue { return }
                if record.kind == AuditRecord.Kind.attempt.rawValue || record.kind == "request" { batches.insert(record.batchID) }
                found.append(
                    Location(
                        file: file, line: number, sequence: record.sequence, kind: record.kind, at: record.at, destination: record.destination,
                        batchID: record.batchID, hash: record.hash ?? "", responseStatus: record.responseStatus))
            }
        }
        return Result(entries: found, filesSearched: files, truncated: inWindow.count > files.count)
    }

    /// Calls `body` with each line (1-based number, bytes without the
    /// newline), reading 1 MiB at a time.
    static func forEachLine(in url: URL, _ body: (Int, ArraySlice<UInt8>) throws -> Void) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var number = 0
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                number += 1
                try body(number, pending[start..<newline])
                start = newline + 1
            }
            pending.removeSubrange(..<start)
        }
        if !pending.isEmpty { try body(number + 1, pending[...]) }
    }

    /// Whether `haystack` contains `needle`.
    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            guard let candidate = haystack[index...last].firstIndex(of: first) else { return false }
            if haystack[candidate..<(candidate + needle.count)].elementsEqual(needle) { return true }
            index = candidate + 1
        }
        return false
    }

    /// The `batch_id` of a `v: 2` line, read without parsing the line.
    static func batchID(in line: ArraySlice<UInt8>) -> String? {
        let key = Array(#","batch_id":""#.utf8)
        guard let first = key.first else { return nil }
        var index = line.startIndex
        while index + key.count <= line.endIndex {
            guard let candidate = line[index...].firstIndex(of: first), candidate + key.count <= line.endIndex else { return nil }
            if line[candidate..<(candidate + key.count)].elementsEqual(key) {
                let valueStart = candidate + key.count
                guard let end = line[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                return String(decoding: line[valueStart..<end], as: UTF8.self)
            }
            index = candidate + 1
        }
        return nil
    }
}
