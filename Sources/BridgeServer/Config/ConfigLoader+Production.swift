import BridgeCore
import Foundation

extension ConfigLoader {
    /// Shortest admin, events-API or metrics bearer token accepted off loopback.
    public static let minimumTokenCharacters = 32
    /// Shortest Standard Webhooks key (the decoded part after `whsec_`) accepted off loopback.
    public static let minimumWebhookKeyBytes = 16

    /// Settings fit for development only, one problem per key path:
    ///
    /// - a secret (a token, secret, key, password, access token or
    ///   credential) that resolved to the fallback of `${VAR:-fallback}`:
    ///   the development values printed in `config/bridge.yaml`;
    /// - no `store.seal_key` (an ephemeral per-process key would be used);
    /// - no `audit.digest_key`, or one that is not base64 of exactly 32 bytes;
    /// - admin, events-API, metrics and console-user tokens shorter than 32 characters;
    /// - Standard Webhooks secrets (of sources and alert sinks) whose key is
    ///   shorter than 16 bytes.
    ///
    /// `serve` refuses to start while any remain and a listener faces the
    /// network (`ServerConfig.isExposed`), unless `--dev` is given; otherwise
    /// it logs one warning per problem. `check-config` reports the same.
    /// Messages name environment variables, never values.
    public static func developmentSettings(_ config: BridgeConfig) -> [ConfigProblem] {
        var found: [(path: String, reason: String)] = []
        for fallback in config.fallbacks where holdsSecret(fallback.path) {
            found.append((fallback.path, "uses the development fallback of ${\(fallback.variable)}; set \(fallback.variable)"))
        }
        if config.store.sealKey == nil {
            found.append(("store.seal_key", "not set: identifiers would be sealed with an ephemeral per-process key (openssl rand -base64 32)"))
        }
        if let key = config.audit.digestKey {
            if !isBase64Key(key) {
                found.append(("audit.digest_key", "must be base64 of exactly 32 bytes (openssl rand -base64 32)"))
            }
        } else {
            found.append(("audit.digest_key", "not set: audit digests would use a random per-process key (openssl rand -base64 32)"))
        }
        let server = config.server
        let tokenSets = [
            ("server.", keyed(server.adminTokens, server.adminTokenKeys, list: "admin_tokens")),
            ("server.", keyed(server.metricsTokens, server.metricsTokenKeys, list: "metrics_token")),
            ("events_api.", keyed(config.eventsAPI.tokens, config.eventsAPI.tokenKeys, list: "tokens")),
            ("console.", config.console.users.enumerated().map { KeyedValue(path: "users[\($0.offset)].token", value: $0.element.token) }),
        ]
        for (section, tokens) in tokenSets {
            for token in tokens where token.value.count < minimumTokenCharacters {
                found.append((section + token.path, "shorter than \(minimumTokenCharacters) characters (openssl rand -hex 32)"))
            }
        }
        for (index, source) in config.sources.enumerated() where source.kind == "standard-webhooks" {
            for (i, secret) in source.secrets.enumerated() {
                let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
                if let key = SignatureSupport.decodeBase64(encoded), key.count < minimumWebhookKeyBytes {
                    found.append(("sources[\(index)].secrets[\(i)]", "the key is shorter than \(minimumWebhookKeyBytes) bytes"))
                }
            }
        }
        for (index, sink) in config.alerts.sinks.enumerated() {
            if let key = sink.signingKey, key.count < minimumWebhookKeyBytes {
                found.append(("alerts.sinks[\(index)].secret", "the key is shorter than \(minimumWebhookKeyBytes) bytes"))
            }
        }
        var order: [String] = []
        var reasons: [String: [String]] = [:]
        for (path, reason) in found {
            if reasons[path] == nil { order.append(path) }
            reasons[path, default: []].append(reason)
        }
        return order.map { ConfigProblem($0, reasons[$0, default: []].joined(separator: "; ")) }
    }

    /// Whether the value at `path` is a credential, judged by its key name:
    /// tokens, secrets, keys, passwords, access and refresh tokens, client
    /// secrets, an enrichment `auth.value`, service-account keys, and the
    /// URLs that embed credentials (`store.url`, `alerts.webhook_url`,
    /// `alerts.sinks[i].url`).
    static func holdsSecret(_ path: String) -> Bool {
        let names = path.split(separator: ".").map { String($0.prefix { $0 != "[" }) }
        guard let name = names.last else { return false }
        let parent = names.dropLast().last
        if path == "store.url" || path == "alerts.webhook_url" { return true }
        // A Slack or Teams URL is itself the credential.
        if names.first == "alerts", parent == "sinks", name == "url" { return true }
        if name == "value" { return parent == "auth" }
        if name == "lookup_keys" { return false }
        if ["secret", "secrets", "token", "tokens", "key", "keys", "password", "service_account_json"].contains(name) { return true }
        return ["_token", "_tokens", "_secret", "_secrets", "_key", "_keys", "_password"].contains { name.hasSuffix($0) }
    }

    /// Base64 of exactly 32 bytes.
    static func isBase64Key(_ text: String) -> Bool {
        Data(base64Encoded: text.trimmingCharacters(in: .whitespaces))?.count == 32
    }

    /// `values` with the key path each was written at; when they were set in
    /// code rather than decoded, `list[i]`.
    private static func keyed(_ values: [String], _ keys: [KeyedValue], list: String) -> [KeyedValue] {
        if keys.map(\.value) == values { return keys }
        return values.enumerated().map { KeyedValue(path: "\(list)[\($0.offset)]", value: $0.element) }
    }
}
