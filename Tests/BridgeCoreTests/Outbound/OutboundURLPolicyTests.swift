import BridgeCore
import Testing

@Suite("Which URLs the bridge sends to")
struct OutboundURLPolicyTests {
    @Test(
        "https anywhere, plain http only to a loopback host",
        arguments: [
            "https://graph.facebook.com", "https://10.0.0.5:8443/x", "http://127.0.0.1:8080/v1", "http://127.9.8.7/x", "http://localhost/x",
            "http://LOCALHOST:9", "http://[::1]:9/lookup", "http://user:pw@127.0.0.1/x",
        ])
    func allowed(_ url: String) throws {
        try OutboundURLPolicy.check(url, allowInsecure: false)
    }

    @Test(
        "plain http to any other host is refused without allow_insecure, and allowed with it",
        arguments: [
            "http://graph.facebook.com", "http://10.0.0.5/x", "http://127.0.0.1.evil.example/x", "http://localhost.evil.example/",
            "http://128.0.0.1/x", "http://127.0.0.1@evil.example/x", "http://[::2]/x",
        ])
    func insecure(_ url: String) throws {
        #expect(throws: OutboundURLPolicy.Refusal.insecure) { try OutboundURLPolicy.check(url, allowInsecure: false) }
        try OutboundURLPolicy.check(url, allowInsecure: true)
    }

    @Test("anything but an absolute http(s) URL is refused, opt-in or not", arguments: ["ftp://127.0.0.1/x", "file:///tmp/x", "https://", "127.0.0.1:80", ""])
    func notHTTP(_ url: String) {
        #expect(throws: OutboundURLPolicy.Refusal.notHTTP) { try OutboundURLPolicy.check(url, allowInsecure: true) }
    }

    @Test("loopback hosts are 127.0.0.0/8, ::1 and localhost")
    func loopback() {
        for host in ["127.0.0.1", "127.255.0.3", "::1", "[::1]", "localhost", "LocalHost"] { #expect(OutboundURLPolicy.isLoopback(host: host), "\(host)") }
        for host in ["10.0.0.1", "127.0.0", "127.0.0.1.nip.io", "0.0.0.0", "::", "example.com", "127.0.0.256"] {
            #expect(!OutboundURLPolicy.isLoopback(host: host), "\(host)")
        }
    }
}
