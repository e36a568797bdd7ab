import BridgeCore
import BridgeServer
import Testing

@Suite("Key rings and connection safety in the configuration")
struct KeyRingConfigTests {
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
