import BridgeCore
import Crypto
import Testing

@Suite("Clear fields replaced by keyed digests")
struct ClearFieldDigesterTests {
    @Test("the digest is HMAC-SHA-256 hex with the hmac-sha256: prefix (RFC 4231 test case 2)")
    func vector() {
        let digester = ClearFieldDigester(key: SymmetricKey(data: Array("Jefe".utf8)), keys: [])
        #expect(digester.digest("what do ya want for nothing?")
            == "hmac-sha256:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("replaces selected keys anywhere and leaves everything else byte-identical")
    func byKey() throws {
        let payload = AuditFixtures.request(eventID: "order-1")
        let digested = AuditFixtures.digester.digestingClearFields(of: payload)
        let user = try #require(digested[path: "data"]?[0]?["user_data"])
        for key in ["client_ip_address", "client_user_agent", "fbc"] {
            let value = try #require(user[key]?.stringValue)
            #expect(value.hasPrefix("hmac-sha256:"))
            #expect(value.count == "hmac-sha256:".count + 64)
        }
        #expect(user["client_ip_address"]?.stringValue == AuditFixtures.digester.digest("2001:db8::1"))
        #expect(user["em"] == payload[path: "data"]?[0]?[path: "user_data", "em"])
        #expect(digested[path: "data"]?[0]?["custom_data"] == payload[path: "data"]?[0]?["custom_data"])
        #expect(PersonalDataScanner().scan(digested).isEmpty)
        #expect(!PersonalDataScanner().scan(payload).isEmpty)
    }

    @Test("paths with * select array elements; arrays, objects and numbers inside are digested leaf by leaf")
    func byPath() throws {
        let digester = ClearFieldDigester(key: AuditFixtures.key, keys: [],
                                          paths: [try #require(JSONPointer(parsing: "/events/*/user/ip"))])
        let payload: JSONValue = .object(["events": .array([
            .object(["user": .object(["ip": .array([.string("203.0.113.7"), .number("42"), .null, .bool(true)])])]),
            .object(["user": .object(["ip": .object(["v4": .string("198.51.100.1")]), "other": .string("198.51.100.2")])]),
        ])])
        let digested = digester.digestingClearFields(of: payload)
        #expect(digested[path: "events"]?[0]?[path: "user", "ip"] == .array([
            .string(digester.digest("203.0.113.7")), .string(digester.digest("42")), .null, .bool(true),
        ]))
        #expect(digested[path: "events"]?[1]?[path: "user", "ip", "v4"] == .string(digester.digest("198.51.100.1")))
        #expect(digested[path: "events"]?[1]?[path: "user", "other"] == .string("198.51.100.2"))
    }

    @Test("digesting twice changes nothing; a different key gives a different digest")
    func idempotentAndKeyed() {
        let once = AuditFixtures.digester.digestingClearFields(of: AuditFixtures.request(eventID: "e"))
        #expect(AuditFixtures.digester.digestingClearFields(of: once) == once)
        let other = ClearFieldDigester(key: SymmetricKey(data: Array("another-key".utf8)), keys: [])
        #expect(other.digest("203.0.113.7") != AuditFixtures.digester.digest("203.0.113.7"))
        // A clear value dressed up with the prefix is still digested.
        let sneaky: JSONValue = .object(["fbc": .string("hmac-sha256:john@example.com")])
        #expect(AuditFixtures.digester.digestingClearFields(of: sneaky)["fbc"]?.stringValue != "hmac-sha256:john@example.com")
    }
}
