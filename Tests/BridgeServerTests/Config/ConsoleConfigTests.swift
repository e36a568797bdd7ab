import BridgeCore
import BridgeServer
import Testing

@Suite("The console section of the configuration")
struct ConsoleConfigTests {
    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try ConfigLoader.parse(yaml, environment: ["ANNA_TOKEN": "anna-token-from-the-environment-0123456789"])
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("users read their tokens from the environment; durations, the key and the limit load")
    func loads() throws {
        let config = try ConfigLoader.parse(
            """
            store: {ephemeral_seal_key: true}
            console:
              users: [{name: anna, token: "${ANNA_TOKEN}"}]
              session_key: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
              session_duration: 2h
              secure_cookie: true
              sign_in_attempts: 3
              sign_in_window: 10m
            """, environment: ["ANNA_TOKEN": "anna-token-from-the-environment-0123456789"])
        #expect(config.console.users == [ConsoleConfig.User(name: "anna", token: "anna-token-from-the-environment-0123456789")])
        #expect(config.console.sessionDuration == .seconds(7200))
        #expect(config.console.secureCookie)
        #expect(config.console.signInAttempts == 3)
        #expect(config.console.signInWindow == .seconds(600))
        #expect(config.console.enabled)
        #expect(try ConfigLoader.parse("store: {ephemeral_seal_key: true}\n", environment: [:]).console.sessionDuration == .seconds(8 * 3600))
    }

    @Test("a bad key, name, duration or limit, and unknown keys, are problems with their key paths")
    func refuses() {
        let found = Self.problems(
            """
            console:
              users: [{name: "Anna!", token: x}, {name: admin, token: y}, {name: bob}]
              session_key: "short"
              session_duration: forever
              sign_in_attempts: 0
              colour: blue
            """)
        #expect(found.contains { $0.hasPrefix("console.users[0].name:") })
        #expect(found.contains { $0.hasPrefix("console.users[1].name:") })
        #expect(found.contains { $0.hasPrefix("console.users[2].token:") })
        #expect(found.contains { $0.hasPrefix("console.session_key:") })
        #expect(found.contains { $0.hasPrefix("console.session_duration:") })
        #expect(found.contains { $0.hasPrefix("console.sign_in_attempts:") })
        #expect(found.contains { $0.hasPrefix("console.colour:") })
        #expect(!found.joined().contains("short"), "the key's value is never echoed")
    }

    @Test("a console user's token shorter than 32 characters is a development setting, like an admin token")
    func tokenStrength() throws {
        let config = try ConfigLoader.parse("store: {ephemeral_seal_key: true}\nconsole:\n  users: [{name: anna, token: too-short}]\n", environment: [:])
        let found = ConfigLoader.developmentSettings(config).map(\.path)
        #expect(found.contains("console.users[0].token"))
    }
}
