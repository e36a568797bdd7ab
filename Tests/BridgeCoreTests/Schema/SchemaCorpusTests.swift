import BridgeCore
import Foundation
import Testing

/// The schema corpus (`fixtures/schema-corpus/`): every file gets the
/// verdict its folder and `verdicts.json` record, from the one-pass reader
/// and from the schema path alike, by default and as a strict source. CI
/// checks the same corpus with Python `jsonschema`
/// (`scripts/ci/schema-agreement.sh`), so the published schema and the
/// bridge cannot drift apart.
@Suite("The schema corpus: the bridge's recorded verdicts, both read paths")
struct SchemaCorpusTests {
    /// What `verdicts.json` records for one file.
    struct Recorded: Sendable, CustomStringConvertible {
        let file: String
        let valid: Bool
        let errors: [String]
        let ignored: [String]
        /// Whether a strict source refuses it (the `strict-invalid/` folder).
        let strictRefuses: Bool
        var description: String { file }
    }

    static let corpus: [Recorded] = {
        guard let document = try? JSONParser.parse(CoreTestPaths.bytes("fixtures/schema-corpus/verdicts.json")),
            case .object(let entries) = document
        else { return [] }
        return entries.keys.sorted().map { file in
            let entry = entries[file]
            return Recorded(
                file: file, valid: entry?["verdict"]?.stringValue == "valid",
                errors: entry?["errors"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                ignored: entry?["ignored"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                strictRefuses: entry?["strict"]?.stringValue == "invalid" || entry?["verdict"]?.stringValue == "invalid")
        }
    }()

    /// The schema path's verdict: the event and its ignored pointers, or the violations.
    static func schemaPath(_ bytes: [UInt8], _ policy: JSONSchema.UnknownProperties) -> Result<ConversionEvent.Decoded, EventValidationError>? {
        guard let document = try? JSONParser.parse(bytes) else { return nil }
        do {
            return .success(try ConversionEvent.read(canonical: document, source: "corpus", schema: CanonicalEventSchema.compiled, unknownProperties: policy))
        } catch {
            return .failure(error)
        }
    }

    @Test("the corpus is complete: every file has a recorded verdict, in the folder that says it")
    func complete() throws {
        #expect(Self.corpus.count >= 90)
        let root = CoreTestPaths.repositoryRoot.appendingPathComponent("fixtures/schema-corpus")
        var files: [String] = []
        for folder in ["valid", "invalid", "strict-invalid"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            files += names.filter { $0.hasSuffix(".json") }.map { "\(folder)/\($0)" }
        }
        #expect(files.sorted() == Self.corpus.map(\.file))
        for entry in Self.corpus {
            let folder = entry.file.split(separator: "/").first.map(String.init)
            #expect(folder == (entry.valid ? (entry.strictRefuses ? "strict-invalid" : "valid") : "invalid"), "\(entry.file)")
        }
    }

    @Test("by default: the recorded verdict, error pointers and ignored pointers, from the schema path and the one-pass reader", arguments: corpus)
    func byDefault(_ entry: Recorded) throws {
        let bytes = try CoreTestPaths.bytes("fixtures/schema-corpus/" + entry.file)
        let tree = Self.schemaPath(bytes, .ignore)
        let fast = CanonicalEventReader.event(bytes, source: "corpus", unknownProperties: .ignore)
        switch tree {
        case .success(let decoded)?:
            #expect(entry.valid, "the schema path accepts \(entry.file), recorded invalid")
            #expect(decoded.ignored.map(\.description) == entry.ignored.sorted())
            if let fast {
                #expect(fast.events == [decoded.event], "the reader reads \(entry.file) as the schema path does")
                #expect(fast.ignored == decoded.ignored)
            }
        case .failure(let error)?:
            #expect(!entry.valid, "the schema path refuses \(entry.file): \(error)")
            #expect(Set(error.violations.map(\.pointer.description)) == Set(entry.errors))
            #expect(fast == nil, "the reader never accepts what the schema refuses (\(entry.file))")
        case nil:
            #expect(!entry.valid && fast == nil)
        }
    }

    @Test("as a strict source: unknown properties refused by both paths, each named by its pointer", arguments: corpus)
    func strict(_ entry: Recorded) throws {
        let bytes = try CoreTestPaths.bytes("fixtures/schema-corpus/" + entry.file)
        let tree = Self.schemaPath(bytes, .refuse)
        let fast = CanonicalEventReader.event(bytes, source: "corpus", unknownProperties: .refuse)
        if entry.strictRefuses {
            guard case .failure(let error)? = tree else {
                Issue.record("a strict source accepts \(entry.file)")
                return
            }
            #expect(fast == nil)
            if entry.valid {
                // Valid by default: exactly the ignored pointers are refused.
                #expect(error.violations.allSatisfy { $0.isUnknownProperty })
                #expect(Set(error.violations.map(\.pointer.description)) == Set(entry.ignored))
            }
        } else {
            guard case .success(let decoded)? = tree else {
                Issue.record("a strict source refuses \(entry.file)")
                return
            }
            #expect(decoded.ignored.isEmpty)
            if let fast { #expect(fast.events == [decoded.event]) }
        }
    }

    @Test("schema_version: absent, 1, 1.0 and 1e0 read as this bridge's version; any other is refused with its pointer")
    func schemaVersion() throws {
        #expect(ConversionEvent.schemaVersion == 1)
        let base = #"{"event_id":"lead:1","event_name":"Lead","event_time":"2026-03-14T15:05:12Z""#
        for accepted in ["", #","schema_version":1"#, #","schema_version":1.0"#, #","schema_version":1e0"#] {
            if case .failure(let error)? = Self.schemaPath(Array((base + accepted + "}").utf8), .refuse) {
                Issue.record("refused \(accepted): \(error)")
            }
        }
        for refused in [#","schema_version":2"#, #","schema_version":"1""#, #","schema_version":0"#] {
            guard case .failure(let error)? = Self.schemaPath(Array((base + refused + "}").utf8), .ignore) else {
                Issue.record("accepted \(refused)")
                continue
            }
            #expect(error.violations.map(\.pointer.description) == ["/schema_version"])
        }
    }

    @Test("custom properties and attribution read into the event; personal-looking values refused with their pointer")
    func customAndAttribution() throws {
        let text = #"""
            {"event_id":"sale:1","event_name":"Purchase","event_time":"2026-03-14T15:05:12Z","client":{"landing_url":"https://shop.example/?utm_source=news&utm_medium=email&utm_campaign=spring"},"attribution":{"utm_campaign":"override"},"custom_properties":{"tier":"gold","n":3,"vip":true,"gone":null}}
            """#
        guard case .success(let decoded)? = Self.schemaPath(Array(text.utf8), .ignore) else {
            Issue.record("the event is valid")
            return
        }
        #expect(decoded.event.customProperties == CustomProperties(["tier": .string("gold"), "n": .number("3"), "vip": .bool(true)]))
        #expect(decoded.event.attribution == CampaignAttribution([.source: "news", .medium: "email", .campaign: "override"]))
        #expect(CanonicalEventReader.event(Array(text.utf8), source: "corpus")?.events == [decoded.event])
        for (member, pointer) in [
            (#""custom_properties":{"contact":"zoe@example.com"}"#, "/custom_properties/contact"),
            (#""custom_properties":{"callback":"+49 151 23456789"}"#, "/custom_properties/callback"),
            (#""attribution":{"utm_content":"zoe@example.com"}"#, "/attribution/utm_content"),
        ] {
            let event = #"{"event_id":"sale:1","event_name":"Purchase","event_time":"2026-03-14T15:05:12Z",\#(member)}"#
            guard case .failure(let error)? = Self.schemaPath(Array(event.utf8), .ignore) else {
                Issue.record("accepted \(member)")
                continue
            }
            #expect(error.violations.map(\.pointer.description) == [pointer])
            #expect(!error.description.contains("zoe@example.com") && !error.description.contains("151 23456789"), "no value in the message")
        }
    }
}
