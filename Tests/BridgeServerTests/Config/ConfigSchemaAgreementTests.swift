import BridgeCore
import BridgeDestinations
import BridgeServer
import Foundation
import Testing

/// `config/schema/bridge-config.schema.json` and the loader agree: every key
/// the loader's readers ask for (recorded by `ConfigLoader.keyCatalog` over
/// the example file and the sections the example leaves commented out) is in
/// the schema with a compatible type, every property the schema declares is
/// read by the loader, the mappings that refuse unknown keys are closed in
/// the schema, and each destination kind's keys are exactly those its reader
/// accepts. (That the example validates against the schema is checked with
/// Python `jsonschema` by `scripts/ci/schema-agreement.sh`.)
@Suite("The configuration JSON Schema")
struct ConfigSchemaAgreementTests {
    /// What the example leaves commented out, so that every reader is entered.
    static let supplement = """
        server:
          admin: {host: 127.0.0.1, port: 8081}
          tls: {certificate: /tls/fullchain.pem, key: /tls/privkey.pem}
        store: {kind: postgres, url: "postgres://bridge@127.0.0.1/bridge", seal_key: k, instance_id: a, lease_seconds: 60, ephemeral_seal_key: false}
        audit: {digest_key: k}
        alerts:
          sinks: [{name: pager, kind: webhook, url: "https://hooks.example.com/capi", secret: "whsec_x", allow_insecure: false, timeout_seconds: 10}]
          delivery_slo: {destinations: {tiktok: 98}}
        enrichment:
          concurrency: 4
          providers:
            - name: vendor
              kind: http
              url: https://vendor.example.com/lookup
              lookup_keys: [email]
              send_raw_email: true
              allow_insecure_loopback: false
              map: {phone: /phone}
              concurrency: 4
              default_region: US
              cache: {max_entries: 10, ttl_seconds: 60}
              breaker: {consecutive_failures: 5, cool_down_seconds: 30}
              auth: {kind: oauth2_client_credentials, token_url: https://auth.example.com/token, client_id: c, client_secret: s, scope: x, client_auth: basic}
        reconciliation:
          alert_undelivered_value: "100.00"
          sources: [{source: payments, api_key: k, objects: [checkout_sessions]}]
        """

    static func text(_ path: String) throws -> String {
        try String(contentsOf: ExampleConfigTests.root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The loader's catalog over the example and the supplement.
    static func catalog() throws -> (keys: [String: ConfigKeyCatalog.Key], closed: Set<String>) {
        let example = try text("config/bridge.example.yaml")
        let environment = try ExampleConfigTests.environment(for: example)
        let first = ConfigLoader.keyCatalog(example, environment: environment)
        let second = ConfigLoader.keyCatalog(supplement, environment: environment)
        let keys = first.keys.merging(second.keys) { one, other in one.kind == .any ? other : one }
        return (keys, first.closedMappings.union(second.closedMappings))
    }

    static func schema() throws -> JSONValue {
        try JSONParser.parse(Array(try text("config/schema/bridge-config.schema.json").utf8))
    }

    /// Keys whose shape the loader's readers do not decide: `consent` is
    /// decoded by `ConsentPolicy`, a destination's own keys by its platform
    /// (compared kind by kind below).
    static func isDelegated(_ path: String) -> Bool {
        path.hasPrefix("consent.") || (path.hasPrefix("destinations[].") && !["destinations[].name", "destinations[].kind"].contains(path))
    }

    @Test("every key the loader reads is in the schema with a compatible type, and every schema property is read by the loader")
    func agrees() throws {
        let (keys, closed) = try Self.catalog()
        #expect(keys.count > 150, "the catalog covers the whole file (\(keys.count) keys)")
        #expect(keys["logging.access"]?.allowed == ["info", "debug", "off"])
        let problems = SchemaAgreement.problems(schema: try Self.schema(), keys: keys, closed: closed, delegated: Self.isDelegated)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("a schema that lacks a key, has one the loader does not read, or types one wrongly is caught")
    func catchesDisagreement() throws {
        let (keys, closed) = try Self.catalog()
        guard case .object(var root) = try Self.schema(), case .object(var properties)? = root["properties"],
            case .object(var server)? = properties["server"], case .object(var serverProperties)? = server["properties"],
            case .object(var logging)? = properties["logging"], case .object(var loggingProperties)? = logging["properties"]
        else {
            Issue.record("the schema has no server and logging properties")
            return
        }
        serverProperties["colour"] = .object(["type": .string("string")])
        serverProperties["port"] = .object(["type": .string("string")])
        server["properties"] = .object(serverProperties)
        loggingProperties["access"] = nil
        logging["properties"] = .object(loggingProperties)
        properties["server"] = .object(server)
        properties["logging"] = .object(logging)
        root["properties"] = .object(properties)
        let problems = SchemaAgreement.problems(schema: .object(root), keys: keys, closed: closed, delegated: Self.isDelegated)
        #expect(problems.contains { $0.hasPrefix("server.colour:") })
        #expect(problems.contains { $0.hasPrefix("server.port:") })
        #expect(problems.contains { $0.hasPrefix("logging.access:") })
    }

    @Test("each destination kind's properties are exactly the keys its reader accepts")
    func destinations() throws {
        let example = try Self.text("config/bridge.example.yaml")
        let config = try ConfigLoader.parse(example, file: "bridge.example.yaml", environment: try ExampleConfigTests.environment(for: example))
        let schema = try Self.schema()
        let destination = try #require(schema[path: "$defs", "destination"])
        #expect(Set(destination[path: "properties", "kind", "enum"]?.arrayValue?.compactMap(\.stringValue) ?? []) == Set(DestinationRegistry.kinds))
        let branches = destination["allOf"]?.arrayValue ?? []
        for kind in DestinationRegistry.kinds {
            let entry = try #require(config.destinations.first { $0.kind == kind }, "the example shows \(kind)")
            // An unknown key makes the reader list every key it accepts.
            var settings = entry.settings
            settings["zz_not_a_key"] = .string("x")
            var accepted: [String] = []
            do {
                _ = try DestinationRegistry.make(
                    DestinationSettings(name: entry.name, kind: kind, settings: settings, pipelineKeys: PipelineFactory.deliveryKeys))
                Issue.record("\(kind) accepted an unknown key")
            } catch {
                #expect(error.code == .unknownKey)
                accepted = error.knownKeys
            }
            let branch = try #require(branches.first { $0[path: "if", "properties", "kind", "const"]?.stringValue == kind }, "a branch for \(kind)")
            let declared = Set(branch[path: "then", "properties"]?.objectValue?.keys.map { $0 } ?? [])
            #expect(declared == Set(accepted).union(["name", "kind"]), "\(kind): schema only \(declared.subtracting(accepted)), reader only \(Set(accepted).subtracting(declared))")
            #expect(branch[path: "then", "additionalProperties"] == .bool(false))
        }
    }
}

/// Compares a JSON Schema with the loader's key catalog.
enum SchemaAgreement {
    static func problems(
        schema: JSONValue, keys: [String: ConfigKeyCatalog.Key], closed: Set<String>, delegated: (String) -> Bool
    ) -> [String] {
        var problems: [String] = []
        for key in keys.values.sorted(by: { $0.path < $1.path }) where !delegated(key.path) {
            guard let node = self.node(key.path, in: schema) else {
                problems.append("\(key.path): read by the loader, missing from the schema")
                continue
            }
            if let mismatch = mismatch(key, node: resolve(node, in: schema), schema: schema) {
                problems.append("\(key.path): \(mismatch)")
            }
        }
        for path in declaredPaths(schema, in: schema, prefix: "") where keys[path] == nil {
            problems.append("\(path): in the schema, never read by the loader")
        }
        for path in closed.sorted() {
            let node = path.isEmpty ? schema : self.node(path, in: schema).map { resolve($0, in: schema) }
            if node?["additionalProperties"] != .bool(false) {
                problems.append("\(path.isEmpty ? "(root)" : path): the loader refuses unknown keys here, the schema does not")
            }
        }
        return problems
    }

    /// `sources[].options` → `sources`, `[]`, `options`.
    static func segments(_ path: String) -> [String] {
        path.split(separator: ".").flatMap { part -> [String] in
            part.hasSuffix("[]") ? [String(part.dropLast(2)), "[]"] : [String(part)]
        }
    }

    static func resolve(_ node: JSONValue, in schema: JSONValue) -> JSONValue {
        guard let reference = node["$ref"]?.stringValue, reference.hasPrefix("#/$defs/") else { return node }
        return schema[path: "$defs", String(reference.dropFirst(8))].map { resolve($0, in: schema) } ?? node
    }

    /// The schema of the value at `path`: a declared property, else the
    /// mapping's `additionalProperties` schema; list entries are `items`.
    static func node(_ path: String, in schema: JSONValue) -> JSONValue? {
        var node = schema
        for segment in segments(path) {
            let current = resolve(node, in: schema)
            if segment == "[]" {
                guard let items = current["items"] else { return nil }
                node = items
            } else if let property = current[path: "properties", segment] {
                node = property
            } else if let additional = current["additionalProperties"], additional.objectValue != nil {
                node = additional
            } else {
                return nil
            }
        }
        return node
    }

    /// The JSON types a schema admits (every type for `{}`).
    static func types(_ node: JSONValue, in schema: JSONValue) -> Set<String> {
        let node = resolve(node, in: schema)
        if let type = node["type"]?.stringValue { return [type == "integer" ? "integer" : type] }
        if let types = node["type"]?.arrayValue { return Set(types.compactMap(\.stringValue)) }
        if let values = node["enum"]?.arrayValue {
            return Set(values.map { value in value.stringValue != nil ? "string" : value.boolValue != nil ? "boolean" : "number" })
        }
        let branches = (node["anyOf"]?.arrayValue ?? []) + (node["oneOf"]?.arrayValue ?? [])
        if !branches.isEmpty { return branches.reduce(into: Set<String>()) { $0.formUnion(types($1, in: schema)) } }
        if node["properties"] != nil { return ["object"] }
        return ["string", "integer", "number", "boolean", "array", "object", "null"]
    }

    static func mismatch(_ key: ConfigKeyCatalog.Key, node: JSONValue, schema: JSONValue) -> String? {
        let admitted = types(node, in: schema)
        let needed: Set<String>
        switch key.kind {
        case .any: return nil
        case .string: needed = ["string"]
        case .integer: needed = ["integer"]
        case .number: needed = ["number"]
        case .boolean: needed = ["boolean"]
        case .stringList, .list: needed = ["array"]
        case .stringOrList: needed = ["string", "array"]
        case .mapping: needed = ["object"]
        case .choice:
            let values = (node["enum"]?.arrayValue ?? []).compactMap(\.stringValue)
            return Set(values) == Set(key.allowed) ? nil : "the loader allows \(key.allowed), the schema \(values)"
        }
        return needed.isSubset(of: admitted) ? nil : "the loader reads \(key.kind.rawValue), the schema admits \(admitted.sorted())"
    }

    /// Every property path the schema declares (not under `consent` or
    /// `destinations`, whose keys are compared elsewhere).
    static func declaredPaths(_ node: JSONValue, in schema: JSONValue, prefix: String) -> [String] {
        let node = resolve(node, in: schema)
        var paths: [String] = []
        for (name, child) in node["properties"]?.objectValue ?? [:] {
            let path = prefix + name
            paths.append(path)
            if path == "consent" || path == "destinations" { continue }
            let resolved = resolve(child, in: schema)
            if resolved["properties"] != nil { paths += declaredPaths(resolved, in: schema, prefix: path + ".") }
            if let items = resolved["items"], resolve(items, in: schema)["properties"] != nil {
                paths += declaredPaths(items, in: schema, prefix: path + "[].")
            }
        }
        return paths
    }
}
