import BridgeCore
import Testing

@Suite("Response body summaries")
struct ResponseSummaryTests {
    @Test("collapses white space and control characters")
    func whitespace() {
        #expect(ResponseSummary.make(body: Array("{\n  \"error\":\t{\"code\": 100}\r\n}\n".utf8)) == "{ \"error\": {\"code\": 100} }")
        #expect(ResponseSummary.make(body: []) == "")
    }

    @Test("redacts echoed personal data before truncating")
    func redactsThenTruncates() {
        let body = "{\"error\":{\"message\":\"Invalid email jane.roe@example.com for user at 198.51.100.4\"}}"
        #expect(ResponseSummary.make(body: Array(body.utf8)) == "{\"error\":{\"message\":\"Invalid email [email] for user at [ip]\"}}")
        // Cut inside the address: it must not survive as a recognizable fragment.
        #expect(ResponseSummary.make(body: Array(body.utf8), limit: 40) == "{\"error\":{\"message\":\"Invalid email [emai…")
    }

    @Test("keeps at most the limit, then an ellipsis; invalid UTF-8 is replaced")
    func limit() {
        #expect(ResponseSummary.make(body: Array(String(repeating: "a", count: 600).utf8)).count == 501)
        #expect(ResponseSummary.make(body: [0x61, 0xFF, 0x62]) == "a\u{FFFD}b")
    }
}
