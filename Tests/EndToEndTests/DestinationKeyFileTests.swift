import BridgeCore
import Foundation
import Testing

/// `capi-bridge check-config` on a configuration whose Google destination
/// names its service-account key file by a path: the configuration loader
/// reads the file (relative to the working directory); the destination
/// receives its text.
@Suite("The real process reads destination key files")
struct DestinationKeyFileTests {
    /// A 2048-bit RSA key in PEM, made with `openssl` in `directory`.
    static func privateKeyPEM(in directory: URL) throws -> String {
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key.pem"]
        openssl.currentDirectoryURL = directory
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        return try String(contentsOf: directory.appendingPathComponent("key.pem"), encoding: .utf8)
    }

    static func config(serviceAccount: String) -> String {
        """
        store: {path: data/bridge.sqlite, ephemeral_seal_key: true}
        destinations:
          - {name: google, kind: google, operating_account_id: "1234567890", conversion_action_id: "555111222", service_account_json: \(serviceAccount)}
        """
    }

    @Test("check-config accepts a key file named by a relative path, and names the key path of one it cannot read")
    func keyFile() async throws {
        let directory = try ProductionSafetyTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = JSONValue.object([
            "type": .string("service_account"), "private_key": .string(try Self.privateKeyPEM(in: directory)),
            "client_email": .string("capi-bridge@test-project.iam.gserviceaccount.com"), "token_uri": .string("https://oauth2.googleapis.com/token"),
        ])
        try JSONWriter.string(key).write(to: directory.appendingPathComponent("google-sa.json"), atomically: true, encoding: .utf8)
        try Self.config(serviceAccount: "google-sa.json").write(to: directory.appendingPathComponent("good.yaml"), atomically: true, encoding: .utf8)
        try Self.config(serviceAccount: "missing-sa.json").write(to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)

        let good = try await BridgeCommand.run(["check-config", "good.yaml"], in: directory)
        #expect(good.status == 0, "\(good.output)")
        #expect(good.standardOutput.contains("OK (0 source(s), 1 destination(s))"))

        let bad = try await BridgeCommand.run(["check-config", "bad.yaml"], in: directory)
        #expect(bad.status == 1)
        let lines = bad.standardError.split(separator: "\n")
        #expect(lines.filter { $0.contains("destinations[0].service_account_json:") }.count == 1, "\(bad.standardError)")
        #expect(!bad.standardError.contains("missing-sa.json"))
    }
}
