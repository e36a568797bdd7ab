import BridgeCore
import BridgeServer
import Testing

@Suite("Key rings and connection safety in the configuration")
struct KeyRingConfigTests {
    static let keyA = IdentifierSealer.generateKey()
    static let keyB = IdentifierSealer.generateKey()

    /// The problems of `yaml` (a config with one source), by key path.
    static func problems(_ yaml: String, environment: [String: String] = [:]) -> [ConfigProblem] {
        do {
            _ = try ConfigLoader.parse(
                yaml + "\nsources: [{name: backend, kind: standard-webhooks, secrets: [\"whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A=\"]}]\n",
                environment: environment)
            return []
        } catch {
            return error.problems
        }
    }

    static func config(_ yaml: String, environment: [String: String] = [:]) throws -> BridgeConfig {
        try ConfigLoader.parse(
            yaml + "\nsources: [{name: backend, kind: standard-webhooks, secrets: [\"whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A=\"]}]\n",
            environment: environment)
    }

    @Test("seal_keys: the first seals, empty later entries are left out; seal_key is a ring of one with id default")
    func sealKeys() throws {
        let ring = try Self.config(
            """
            store:
              seal_keys:
                - {id: "2026-05", key: "${NEW}"}
                - {id: default, key: "${OLD:-}"}
                - {id: spare, key: ""}
            """, environment: ["NEW": Self.keyB, "OLD": Self.keyA])
        #expect(ring.store.sealKeys == [SealKey(id: "2026-05", base64Key: Self.keyB), SealKey(id: "default", base64Key: Self.keyA)])
        #expect(ring.store.sealKey == Self.keyB)
        let single = try Self.config("store: {seal_key: \"\(Self.keyA)\"}")
        #expect(single.store.sealKeys == [SealKey(id: "default", base64Key: Self.keyA)])
        #expect(!"\(single.store.sealKeys)".contains(Self.keyA))
    }

    @Test("a bad ring is reported at the entry's key path, never quoting a key")
    func badSealKeys() {
        let problems = Self.problems(
            """
            store:
              seal_keys:
                - {id: "2026 05", key: "\(Self.keyA)"}
                - {id: old, key: "c2hvcnQ="}
                - {id: old, key: "\(Self.keyB)"}
            """)
        #expect(problems.map(\.path) == ["store.seal_keys[0].id", "store.seal_keys[1].key", "store.seal_keys[2].id"], "\(problems)")
        #expect(!problems.description.contains(Self.keyA) && !problems.description.contains("c2hvcnQ="))
        #expect(Self.problems("store: {seal_keys: [{id: a, key: \"${NEW:-}\"}]}").map(\.path) == ["store.seal_keys[0].key"])
        #expect(Self.problems("store: {seal_key: \"\(Self.keyA)\", seal_keys: [{id: a, key: \"\(Self.keyB)\"}]}").map(\.path) == ["store.seal_keys"])
        #expect(Self.problems("store: {seal_keys: [{id: a, key: \"\(Self.keyB)\", kid: 1}]}").map(\.path) == ["store.seal_keys[0].kid"])
    }

    @Test("digest_keys: the first digests and names itself in the entries; digest_key is a ring of one")
    func digestKeys() throws {
        let ring = try Self.config(
            """
            store: {ephemeral_seal_key: true}
            audit:
              digest_keys:
                - {id: "2026-05", key: "${NEW}"}
                - {id: default, key: "${OLD:-}"}
            """, environment: ["NEW": "new-audit-key", "OLD": ""])
        #expect(ring.audit.digestKeys == [AuditConfig.DigestKey(id: "2026-05", key: "new-audit-key")])
        #expect(ring.audit.digestingKey()?.id == "2026-05")
        #expect(try Self.config("store: {ephemeral_seal_key: true}\naudit: {digest_key: k}").audit.digestingKey()?.id == "default")
        #expect(try Self.config("store: {ephemeral_seal_key: true}").audit.digestingKey() == nil)
        let problems = Self.problems("store: {ephemeral_seal_key: true}\naudit: {digest_keys: [{id: a, key: k}, {id: a, key: j}, {id: \"\", key: x}]}")
        #expect(problems.map(\.path) == ["audit.digest_keys[1].id", "audit.digest_keys[2].id"], "\(problems)")
    }

    @Test("PostgreSQL to a host that is not loopback: verify-full by default, clear text only with store.allow_insecure")
    func postgresTLS() throws {
        let remote = "store: {kind: postgres, url: \"postgres://bridge:hunter2@db.internal/capi?sslmode=disable\", ephemeral_seal_key: true"
        let problems = Self.problems(remote + "}")
        #expect(problems.map(\.path) == ["store.url"])
        #expect(problems.first?.message.contains("allow_insecure") == true && !problems.description.contains("hunter2"))
        #expect(Self.problems(remote + ", allow_insecure: true}").isEmpty)
        #expect(Self.problems("store: {kind: postgres, url: \"postgres://bridge@db.internal/capi\", ephemeral_seal_key: true}").isEmpty)
    }
}
