import ArgumentParser
import BridgeCore
import BridgeServer
import BridgeStore
import Foundation

/// `capi-bridge audit verify|export`: for auditors.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify or export the audit chain.", subcommands: [Verify.self, Export.self])

    /// The audit files of `directory`, oldest first, as texts.
    static func files(in directory: String) throws -> [(name: String, text: String)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw CLIError("cannot read the audit directory \(directory)")
        }
        return try AuditFileName.ordered(names.filter { AuditFileName.day(ofFileNamed: $0) != nil }).map { name in
            (name, try String(contentsOfFile: directory + "/" + name, encoding: .utf8))
        }
    }

    /// The torn segments the writer moved to `.torn` files, one per line
    /// there (each segment was written newline-terminated).
    static func movedAsideSegments(in directory: String) throws -> [AuditTornSegment] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var segments: [AuditTornSegment] = []
        for name in names.filter({ $0.hasSuffix(".jsonl.torn") }).sorted() {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().enumerated() {
                segments.append(AuditTornSegment(file: name, line: index + 1, bytes: line.count))
            }
        }
        return segments
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain across files and scan every entry for personal data in clear.",
            discussion: "Exits 0 when the chain is intact and no personal data is found; otherwise prints the file, line and reason of the first break, every finding, and exits 1. Torn segments (writes interrupted by a crash or a full disk, moved to .torn files) are named with NOTE lines; they never became entries, so they do not break the chain.")

        @Argument(help: "The audit directory (audit.dir).")
        var directory: String

        @Option(name: .long, help: "Configuration file: also compare the chain's end with the head recorded in the store (detects a truncated newest file).")
        var config: String?

        func run() async throws {
            let files = try AuditCommand.files(in: directory)
            var start = AuditChainHead.genesis
            // Files deleted by retention: the chain starts after the first entry's predecessor.
            if let firstLine = files.first?.text.split(separator: "\n").first,
                let entry = try? AuditRecordLine(line: Array(firstLine.utf8)), entry.sequence > 1
            {
                start = AuditChainHead(sequence: entry.sequence - 1, hash: entry.previousHash)
                print("note: the chain starts at entry \(entry.sequence); earlier files were removed by retention")
            }
            var expected: AuditChainHead?
            if let config {
                expected = try await Bootstrap.withStore(try loadConfig(config).store) { try? await $0.auditHead() }
            }
            var report = AuditVerifier().verify(contents: files, startingAfter: start, expectedHead: expected)
            report.tornSegments += try AuditCommand.movedAsideSegments(in: directory)
            if let broken = report.firstBreak {
                print("FAIL chain broken at \(broken)")
            } else {
                print("OK chain intact: \(report.entriesVerified) entries in \(files.count) file(s), head \(report.head.sequence) \(report.head.hash)")
            }
            for segment in report.tornSegments { print("NOTE \(segment)") }
            for finding in report.personalData { print("FAIL personal data in clear: \(finding)") }
            if report.personalData.isEmpty { print("OK no personal data in clear found") }
            if !report.passed { throw ExitCode(1) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export audit entries in a time range as JSON lines or CSV.")

        @Option(name: .long, help: "Audit directory (default: audit.dir of --config).")
        var dir: String?

        @Option(name: .long, help: ArgumentHelp(ConfigFile.help))
        var config = ConfigFile.defaultPath

        @Option(name: .long, help: "Start: RFC 3339 time or an age such as 7d, 24h, 30m.")
        var since: String?

        @Option(name: .long, help: "End: RFC 3339 time or an age.")
        var until: String?

        @Option(name: .long, help: "One JSON object per line, or CSV with a header.")
        var format = AuditExportFormat.jsonl

        func run() async throws {
            let directory = try dir ?? loadConfig(config).audit.dir
            let now = Timestamp.now()
            let from = try since.map { try TimeArgument.parse($0, now: now) }
            let to = try until.map { try TimeArgument.parse($0, now: now) }
            if format == .csv { print("seq,v,kind,at,destination,batch_id,event_count,event_ids,response_status,response_summary,prev_hash,hash") }
            for file in try AuditCommand.files(in: directory) {
                for (index, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
                    let entry: AuditRecordLine
                    do {
                        entry = try AuditRecordLine(line: Array(line.utf8))
                    } catch {
                        throw CLIError("\(file.name):\(index + 1): not an audit entry (\(error)); nothing after it was exported")
                    }
                    if let from, entry.at < from { continue }
                    if let to, entry.at > to { continue }
                    if format == .jsonl {
                        print(line)
                    } else {
                        let fields = [
                            String(entry.sequence), String(entry.version), entry.kind, entry.at.rfc3339, entry.destination, entry.batchID,
                            String(entry.eventIDs.count), entry.eventIDs.joined(separator: " "), entry.responseStatus.map(String.init) ?? "",
                            entry.responseSummary ?? "", entry.previousHash, entry.hash ?? "",
                        ]
                        print(fields.map(CSV.field).joined(separator: ","))
                    }
                }
            }
        }
    }
}

/// `--since 7d` / RFC 3339 arguments.
enum TimeArgument {
    static func parse(_ text: String, now: Timestamp) throws -> Timestamp {
        if let time = Timestamp(rfc3339: text) { return time }
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = text.last.flatMap({ units[$0] }), let amount = Int64(text.dropLast()), amount >= 0 else {
            throw CLIError("'\(text)' is neither an RFC 3339 time nor an age like 7d, 24h, 30m")
        }
        return Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch - amount * unit * 1000)
    }
}

/// RFC 4180 quoting.
enum CSV {
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
