import BridgeCore
import BridgeDestinations
import BridgeServer
import Foundation
import Testing
import _CryptoExtras

/// The configuration loader reads the files a destination key names, so
/// destinations receive contents and read no files themselves.
@Suite("Destination key files")
struct DestinationFileTests {
    static let clientEmail = "capi-bridge@test-project.iam.gserviceaccount.com"

    /// A service-account key file's JSON with a new RSA key.
    static func keyJSON() throws -> String {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return JSONWriter.string(
            .object([
                "type": .string("service_account"), "private_key": .string(key.pkcs8PEMRepresentation),
                "client_email": .string(clientEmail), "token_uri": .string("https://oauth2.googleapis.com/token"),
            ]))
    }

    static func yaml(serviceAccount: String) -> String {
        """
        store: {path: x.sqlite, ephemeral_seal_key: true}
        destinations:
          - {name: google, kind: google, operating_account_id: "1234567890", conversion_action_id: "555111222", service_account_json: "\(serviceAccount)"}
        """
    }

    func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sa-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a service_account_json path is read by the loader and handed over as the key's text")
    func readsPath() throws {
        let json = try Self.keyJSON()
        let path = try temporaryFile(json)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try ConfigLoader.parse(Self.yaml(serviceAccount: path), environment: [:])
        #expect(config.destinations[0].settings["service_account_json"] == .string(json))
        let entry = config.destinations[0]
        let destination = try DestinationRegistry.make(DestinationSettings(name: entry.name, kind: entry.kind, settings: entry.settings))
        #expect((destination.tokenIssuer as? GoogleServiceAccountIssuer)?.clientEmail == Self.clientEmail)
    }

    @Test("an unreadable key file is one problem at its key path, without the path")
    func unreadable() throws {
        let path = "/nonexistent/\(UUID().uuidString)/key.json"
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(Self.yaml(serviceAccount: path), environment: [:]) }
        #expect(error?.problems.map(\.path) == ["destinations[0].service_account_json"])
        #expect(error.map { !"\($0)".contains("nonexistent") } == true)
    }

    @Test("a key file that is not a service-account key is refused at its key path, without its contents")
    func notAKey() throws {
        let path = try temporaryFile("{\"private_key\": \"SECRET-MATERIAL\"}")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(Self.yaml(serviceAccount: path), environment: [:]) }
        #expect(error?.problems.map(\.path) == ["destinations[0].service_account_json"])
        #expect(error.map { !"\($0)".contains("SECRET-MATERIAL") } == true)
    }
}
