import BridgeCore
@testable import BridgePipeline
@testable import BridgeServer
import Testing

@Suite("Enrichment configuration")
struct EnrichmentConfigTests {
    func parse(_ yaml: String) throws -> JSONValue? {
        try ConfigLoader.parse(
            """
            store: {path: /tmp/unused.sqlite, ephemeral_seal_key: true}
            enrichment:
            \(yaml)
            """, environment: ["CRM_KEY": "k-123", "CRM_SECRET": "hunter2"]
        ).enrichment
    }

    /// The problems the loader reports for `yaml`.
    func problems(_ yaml: String) -> [ConfigProblem] {
        do {
            _ = try parse(yaml)
            return []
        } catch {
            return (error as? ConfigError)?.problems ?? [ConfigProblem("", "\(error)")]
        }
    }

    @Test("a full configuration decodes in order, with defaults")
    func full() throws {
        let config = try EnrichmentConfig.decode(
            try parse(
                """
                  budget_ms: 400
                  providers:
                    - {name: clicks, kind: click_ids}
                    - {name: graph, kind: identity_graph, default_region: DE}
                    - name: crm
                      kind: http
                      url: https://profiles.example.com/v1/lookup
                      auth: {kind: api_key, header: X-Api-Key, value: "${CRM_KEY}"}
                      lookup_keys: [email_sha256, external_id]
                      map: {phone: /phone, first_name: /name/first}
                      cache: {max_entries: 500, ttl_seconds: 60}
                      breaker: {consecutive_failures: 3, cool_down_seconds: 15}
                    - name: vendor
                      kind: http
                      url: https://vendor.example.com/match
                      auth: {kind: oauth2_client_credentials, token_url: "https://vendor.example.com/oauth/token", client_id: bridge, client_secret: "${CRM_SECRET}", scope: match}
                      lookup_keys: [email]
                      send_raw_email: true
                      timeout_ms: 250
                      map: {last_name: /person/last}
                """))
        #expect(config.budget == .milliseconds(400))
        #expect(config.providers.map(\.name) == ["clicks", "graph", "crm", "vendor"])
        guard case .http(_, let crm) = config.providers[2], case .http(_, let vendor) = config.providers[3] else {
            Issue.record("expected http providers")
            return
        }
        #expect(crm.timeout == .milliseconds(300))
        #expect(crm.lookupKeys == [.emailSHA256, .externalID])
        #expect(crm.map.map(\.field) == [.firstName, .phone])
        #expect(crm.cacheEntries == 500 && crm.cacheTTL == .seconds(60))
        #expect(crm.breaker.consecutiveFailures == 3)
        if case .apiKey(let header, let value) = crm.auth { #expect(header == "X-Api-Key" && value == "k-123") } else { Issue.record("api key") }
        #expect(vendor.timeout == .milliseconds(250))
        if case .oauth2(let credentials) = vendor.auth {
            #expect(credentials.clientSecret == "hunter2" && credentials.scope == "match" && credentials.clientAuthentication == .basic)
        } else {
            Issue.record("oauth2")
        }
    }

    @Test("an empty or absent section has no providers")
    func empty() throws {
        #expect(try EnrichmentConfig.decode(nil).providers.isEmpty)
        #expect(try EnrichmentConfig.decode(.object([:])).providers.isEmpty)
    }

    @Test("every problem is reported at its key path, without values, by the configuration loader (check-config)")
    func problems() throws {
        var problems: [ConfigProblem] = []
        do {
            _ = try parse(
                """
                  budget_ms: 0
                  providers:
                    - {name: graph, kind: identity_graph, default_region: Atlantis}
                    - {name: graph, kind: click_ids, typo: 1}
                    - {name: crm, kind: http, url: "http://profiles.example.com/lookup", lookup_keys: [email_md5], map: {phone: phone, shoe_size: /s}}
                    - name: raw
                      kind: http
                      url: https://x.example.com/
                      lookup_keys: [email]
                      map: {phone: /phone}
                      auth: {kind: oauth2_client_credentials, client_id: a, client_secret: "${CRM_SECRET}"}
                    - {name: loop, kind: http, url: "http://127.0.0.1:9/lookup", lookup_keys: [email], send_raw_email: true, map: {phone: /p}}
                    - {name: what, kind: magic}
                """)
            Issue.record("the loader must refuse this enrichment section")
        } catch let error as ConfigError {
            problems = error.problems
        }
        let paths = problems.map(\.path)
        let expected = [
            "enrichment.budget_ms", "enrichment.providers[0].default_region", "enrichment.providers[1].name", "enrichment.providers[1].typo",
            "enrichment.providers[2].url", "enrichment.providers[2].lookup_keys[0]", "enrichment.providers[2].map.phone",
            "enrichment.providers[2].map.shoe_size", "enrichment.providers[3].lookup_keys", "enrichment.providers[3].auth.token_url",
            "enrichment.providers[4].url", "enrichment.providers[5].kind",
        ]
        for path in expected { #expect(paths.contains(path), "missing \(path) in \(paths)") }
        #expect(problems.count == expected.count, "\(problems)")
        #expect(!problems.description.contains("hunter2"))
        #expect(problems.first { $0.path == "enrichment.providers[4].url" }?.message.contains("allow_insecure_loopback") == true)
        #expect(problems.first { $0.path == "enrichment.providers[2].url" }?.message.contains("allow_insecure: true") == true)
    }

    @Test("plain http to a host that is not loopback needs allow_insecure, for the lookup and the token URL; raw e-mail never goes there")
    func allowInsecure() throws {
        let refused = problems(
            (
                """
                  providers:
                    - name: a
                      kind: http
                      url: "http://crm.internal/l"
                      lookup_keys: [email_sha256]
                      map: {phone: /p}
                      auth: {kind: oauth2_client_credentials, token_url: "http://auth.internal/token", client_id: a, client_secret: "${CRM_SECRET}"}
                """))
        #expect(refused.map(\.path) == ["enrichment.providers[0].url", "enrichment.providers[0].auth.token_url"], "\(refused)")
        let allowed = EnrichmentConfig.problems(
            try parse(
                """
                  providers:
                    - name: a
                      kind: http
                      url: "http://crm.internal/l"
                      allow_insecure: true
                      lookup_keys: [email_sha256]
                      map: {phone: /p}
                      auth: {kind: oauth2_client_credentials, token_url: "http://auth.internal/token", client_id: a, client_secret: "${CRM_SECRET}"}
                """))
        #expect(allowed.isEmpty, "\(allowed)")
        let rawEmail = problems(
            (
                """
                  providers:
                    - {name: b, kind: http, url: "http://crm.internal/l", allow_insecure: true, allow_insecure_loopback: true, lookup_keys: [email], send_raw_email: true, map: {phone: /p}}
                """))
        #expect(rawEmail.map(\.path) == ["enrichment.providers[0].url"], "\(rawEmail)")
    }

    @Test("loopback http is allowed for hashed lookups; raw e-mail over it needs allow_insecure_loopback")
    func loopback() throws {
        #expect(EnrichmentConfig.isLoopback("http://127.0.0.1:8080/x"))
        #expect(EnrichmentConfig.isLoopback("http://localhost/x"))
        #expect(EnrichmentConfig.isLoopback("http://[::1]:9/x"))
        #expect(!EnrichmentConfig.isLoopback("http://127.0.0.1.evil.example/x"))
        #expect(!EnrichmentConfig.isLoopback("http://10.0.0.1/x"))
        let allowed = EnrichmentConfig.problems(
            try parse(
                """
                  providers:
                    - {name: a, kind: http, url: "http://127.0.0.1:9/l", lookup_keys: [email_sha256], map: {phone: /p}}
                    - {name: b, kind: http, url: "http://127.0.0.1:9/l", lookup_keys: [email], send_raw_email: true, allow_insecure_loopback: true, map: {phone: /p}}
                """))
        #expect(allowed.isEmpty, "\(allowed)")
    }
}
