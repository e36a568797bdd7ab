import ArgumentParser
import BridgeCore
import BridgeSources
import Foundation

/// `capi-bridge events validate FILE…`: the bridge's verdict on each file
/// (a canonical event, a `POST /v1/events` batch or a Standard Webhooks
/// body), reached by the code ingest runs. One line per file:
///
/// ```
/// valid    order.json
/// valid    order-v2.json  ignored: /loyalty_tier
/// invalid  refund.json  /currency: required property 'currency' is missing
/// ```
///
/// Exit status 0 when every file is valid, 1 otherwise. No personal data is
/// printed: messages name pointers, never values.
struct EventsValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Validate canonical event files as the bridge's ingest does; one verdict per file.")

    @Argument(help: "Files holding a canonical event, a {\"events\": [...]} batch or a Standard Webhooks body.")
    var files: [String]

    @Flag(name: .long, help: "Refuse properties the schema does not declare, as a source configured with strict: true does.")
    var strict = false

    @Flag(name: .long, help: "One JSON object per file: {\"file\", \"verdict\", \"shape\", \"ignored\", \"errors\"}.")
    var json = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one file") }
    }

    func run() throws {
        var allValid = true
        for file in files {
            let verdict: CanonicalDocument.Verdict
            if let data = FileManager.default.contents(atPath: file) {
                verdict = CanonicalDocument.validate(Array(data), unknownProperties: strict ? .refuse : .ignore)
            } else {
                verdict = CanonicalDocument.Verdict(
                    shape: nil, violations: [JSONSchema.Violation(pointer: .root, message: "cannot read the file")], ignored: [],
                    readInOnePass: false)
            }
            allValid = allValid && verdict.isValid
            print(json ? Self.jsonLine(file, verdict) : Self.textLine(file, verdict))
        }
        if !allValid { throw ExitCode(1) }
    }

    static func textLine(_ file: String, _ verdict: CanonicalDocument.Verdict) -> String {
        if verdict.isValid {
            let ignored = verdict.ignored.isEmpty ? "" : "  ignored: " + verdict.ignored.map(\.description).joined(separator: ", ")
            return "valid    \(file)\(ignored)"
        }
        return "invalid  \(file)  " + verdict.violations.map(\.description).joined(separator: "; ")
    }

    static func jsonLine(_ file: String, _ verdict: CanonicalDocument.Verdict) -> String {
        JSONWriter.string(
            .object([
                "file": .string(file), "verdict": .string(verdict.isValid ? "valid" : "invalid"),
                "shape": verdict.shape.map { .string($0.rawValue) } ?? .null,
                "ignored": .array(verdict.ignored.map { .string($0.description) }),
                "errors": .array(verdict.violations.map { .object(["pointer": .string($0.pointer.description), "detail": .string($0.message)]) }),
            ]))
    }
}
