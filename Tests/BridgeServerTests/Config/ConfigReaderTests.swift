import BridgeCore
import BridgeServer
import Testing

@Suite("Reading the configuration: every problem in one run")
struct ConfigReaderTests {
    static func problems(_ yaml: String, environment: [String: String] = [:]) -> [ConfigProblem] {
        do {
            _ = try ConfigLoader.parse(yaml, environment: environment)
            return []
        } catch {
            return error.problems
        }
    }

    @Test("structural problems (unknown keys, wrong types, missing keys, unset variables) and value problems come together")
    func everyProblem() {
        let problems = Self.problems(
            """
            server: {port: 70000, idle_timeout_seconds: soon, admin_tokn: x}
            store: {ephemeral_seal_key: true, lease_seconds: [1]}
            sources:
              - {name: shop, secrets: ["${MISSING_SECRET}"]}
              - {name: Bad Name, kind: shopify, secrets: [s]}
            retention: {audit_days: 0}
            logging: {level: loud}
            colour: blue
            """)
        let paths = problems.map(\.path)
        #expect(
            Set(paths) == [
                "server.port", "server.idle_timeout_seconds", "server.admin_tokn", "store.lease_seconds", "sources[0].secrets[0]",
                "sources[0].kind", "sources[1].name", "retention.audit_days", "logging.level", "colour",
            ], "\(problems)")
        #expect(paths.count == Set(paths).count, "each problem once: \(problems)")
        #expect(problems.first { $0.path == "server.admin_tokn" }?.message.contains("admin_token") == true)
        #expect(problems.first { $0.path == "server.idle_timeout_seconds" }?.message == "must be a number")
    }

    @Test("how long ingest waits for the store is read, defaults to 5 s, and is refused outside 0.1-120 s")
    func ingestWait() throws {
        let sources = "sources:\n  - {name: shop, kind: shopify, secrets: [s]}\n"
        #expect(try ConfigLoader.parse("store: {ephemeral_seal_key: true}\n" + sources, environment: [:]).store.ingestWait == .seconds(5))
        #expect(try ConfigLoader.parse("store: {ephemeral_seal_key: true, ingest_wait_seconds: 2.5}\n" + sources, environment: [:]).store.ingestWait == .milliseconds(2500))
        for bad in ["0", "121", "-1"] {
            #expect(
                Self.problems("store: {ephemeral_seal_key: true, ingest_wait_seconds: \(bad)}\n" + sources)
                    == [ConfigProblem("store.ingest_wait_seconds", "must be between 0.1 and 120")])
        }
    }

    @Test("a value whose type is wrong is not checked again by validation")
    func noEcho() {
        let problems = Self.problems("server: {port: eighty}\nstore: {ephemeral_seal_key: true}")
        #expect(problems == [ConfigProblem("server.port", "must be an integer")])
    }

    @Test("a file that is not a mapping is one problem")
    func notAMapping() {
        #expect(Self.problems("- just\n- a list\n") == [ConfigProblem("", "must be a mapping")])
    }

    @Test("quoted numbers and booleans read as text where text is expected, numbers where numbers are")
    func scalars() throws {
        let config = try ConfigLoader.parse(
            """
            server: {port: "9090", idle_timeout_seconds: 2.5}
            store: {ephemeral_seal_key: "true", instance_id: 42}
            events_api: {tokens: [true, "${T}"]}
            """, environment: ["T": "7"])
        #expect(config.server.port == 9090)
        #expect(config.server.idleTimeoutSeconds == 2.5)
        #expect(config.store.ephemeralSealKey)
        #expect(config.store.instanceID == "42")
        #expect(config.eventsAPI.tokens == ["true", "7"])
    }
}

@Suite("logging.access")
struct AccessLogConfigTests {
    static func access(_ logging: String) throws -> AccessLogLevel {
        try ConfigLoader.parse("store: {ephemeral_seal_key: true}\nlogging: \(logging)", environment: [:]).logging.access
    }

    @Test("defaults to info, reads debug and off, and names the key of a wrong value")
    func reads() throws {
        #expect(try Self.access("{level: info}") == .info)
        #expect(try Self.access("{access: debug}") == .debug)
        #expect(try Self.access("{access: \"off\"}") == .off)
        #expect(try Self.access("{access: off}") == .off)
        let problems = ConfigReaderTests.problems("store: {ephemeral_seal_key: true}\nlogging: {access: loud}")
        #expect(problems.map(\.path) == ["logging.access"], "\(problems)")
        #expect(problems.first?.message == "must be one of info, debug, off")
    }
}
