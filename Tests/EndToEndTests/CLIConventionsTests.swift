import AsyncHTTPClient
import BridgeCore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The command-line conventions of issue 14, against the built binary:
/// `--version`, `CAPI_BRIDGE_CONFIG`, enumerated options.
@Suite("The real binary follows the CLI conventions", .serialized)
struct CLIConventionsTests {
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A valid configuration on a fresh SQLite store in `directory`.
    static func writeConfig(named name: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try """
        server: {host: 127.0.0.1, port: 0}
        store: {path: \(directory.appendingPathComponent("outbox.sqlite").path), seal_key: "${CAPI_SEAL_KEY}"}
        sources:
          - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("--version prints the one version constant; serve logs it at start and exports capi_bridge_build_info on /metrics")
    func version() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await BridgeCommand.run(["--version"], in: directory)
        #expect(run.status == 0)
        #expect(run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == BridgeVersion.current)

        let bridge = try await BridgeProcess()
        defer { bridge.cleanUp() }
        let started = bridge.logs("starting")
        #expect(started.count == 1)
        #expect(started.first?["version"]?.stringValue == BridgeVersion.current)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)/metrics"), timeout: .seconds(10))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 22))
        #expect(response.status.code == 200)
        #expect(body.contains("# TYPE capi_bridge_build_info gauge"), "\(body)")
        #expect(body.contains("# HELP capi_bridge_build_info "), "\(body)")
        #expect(body.contains(#"capi_bridge_build_info{version="\#(BridgeVersion.current)"} 1"#), "\(body)")
    }

    @Test("without --config a command reads $CAPI_BRIDGE_CONFIG; an explicit --config or FILE wins over it")
    func configEnvironmentVariable() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = try Self.writeConfig(named: "from-env.yaml", in: directory)
        let missing = directory.appendingPathComponent("nowhere.yaml").path
        let sealKey = ["CAPI_SEAL_KEY": IdentifierSealer.generateKey()]

        // check-config with no FILE reads the variable's file.
        let fromEnvironment = try await BridgeCommand.run(
            ["check-config"], environment: sealKey.merging(["CAPI_BRIDGE_CONFIG": good]) { $1 }, in: directory)
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.output)")
        #expect(fromEnvironment.standardOutput.hasPrefix("\(good): OK"), "\(fromEnvironment.output)")

        // The variable names a missing file: commands with --config fail naming it...
        let environment = sealKey.merging(["CAPI_BRIDGE_CONFIG": missing]) { $1 }
        let broken = try await BridgeCommand.run(["events", "list"], environment: environment, in: directory)
        #expect(broken.status != 0)
        #expect(broken.standardError.contains(missing), "\(broken.output)")
        // ...unless --config (or check-config's FILE) is given, which wins.
        let explicit = try await BridgeCommand.run(["events", "list", "--config", good], environment: environment, in: directory)
        #expect(explicit.status == 0, "\(explicit.output)")
        let explicitFile = try await BridgeCommand.run(["check-config", good], environment: environment, in: directory)
        #expect(explicitFile.status == 0, "\(explicitFile.output)")

        // Neither given: config/bridge.yaml, relative to the working directory.
        let fallback = try await BridgeCommand.run(["events", "list"], environment: sealKey, in: directory)
        #expect(fallback.status != 0)
        #expect(fallback.standardError.contains("config/bridge.yaml"), "\(fallback.output)")

        // --help documents the precedence.
        let help = try await BridgeCommand.run(["events", "list", "--help"], in: directory)
        #expect(help.standardOutput.contains("CAPI_BRIDGE_CONFIG"), "\(help.output)")
    }
}

extension CLIConventionsTests {
    @Test("enumerated options list their values in --help and the bash completion script; a wrong value exits 64 naming the valid ones")
    func enumeratedOptions() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let platforms = Platform.allCases.map(\.rawValue)

        let completion = try await BridgeCommand.run(["--generate-completion-script", "bash"], in: directory)
        #expect(completion.status == 0, "\(completion.output)")
        // The hash command's --platform offers every platform, in one word list.
        let offered = completion.standardOutput.split(separator: "\n").contains { line in platforms.allSatisfy { line.contains($0) } }
        #expect(offered, "no completion line lists \(platforms)")
        #expect(completion.standardOutput.split(separator: "\n").contains { $0.contains("jsonl") && $0.contains("csv") })

        let help = try await BridgeCommand.run(["hash", "--help"], in: directory)
        #expect(help.status == 0)
        #expect(platforms.allSatisfy(help.standardOutput.contains), "\(help.output)")

        let wrong = try await BridgeCommand.run(["hash", "--platform", "myspace", "--field", "email", "a@example.com"], in: directory)
        #expect(wrong.status == 64)
        #expect(wrong.standardError.contains("myspace"), "\(wrong.output)")
        #expect(wrong.standardError.contains("--platform"), "\(wrong.output)")
        #expect(platforms.allSatisfy(wrong.standardError.contains), "\(wrong.output)")
        #expect(!wrong.output.contains("a@example.com"), "the value to hash is never echoed")

        let wrongFormat = try await BridgeCommand.run(["audit", "export", "--dir", directory.path, "--format", "xml"], in: directory)
        #expect(wrongFormat.status == 64)
        #expect(wrongFormat.standardError.contains("jsonl") && wrongFormat.standardError.contains("csv"), "\(wrongFormat.output)")
    }
}
