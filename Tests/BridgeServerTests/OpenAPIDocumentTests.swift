import BridgeCore
import BridgeServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Yams

/// `docs/openapi.yaml` is the contract: the bridge serves it byte for byte,
/// it lists exactly the routes the router has, every problem type the code
/// answers with, and the canonical event exactly as the published schema.
@Suite("The OpenAPI document")
struct OpenAPIDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func file(_ path: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(path)) }

    static func document() throws -> [String: Any] {
        let text = String(decoding: try file("docs/openapi.yaml"), as: UTF8.self)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    /// `(method, path)` of every documented operation, methods upper-cased.
    static func documentedOperations() throws -> Set<String> {
        let paths = try #require(try document()["paths"] as? [String: Any])
        var operations: Set<String> = []
        for (path, item) in paths {
            let methods = try #require(item as? [String: Any])
            for method in methods.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test("GET /openapi.yaml serves docs/openapi.yaml byte for byte as application/yaml")
    func servedBytes() async throws {
        let expected = try Self.file("docs/openapi.yaml")
        let bridge = try TestBridge()
        try await bridge.test { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/yaml")
            #expect(Data(response.body.readableBytesView) == expected)
        }
    }

    @Test("the document is on the ingest-only and the admin-only listener alike")
    func onEveryListener() async throws {
        for routes in [RouteSet.ingest, .admin] {
            let bridge = try TestBridge()
            try await bridge.test(routes: routes) { client in
                let response = try await client.execute(uri: "/openapi.yaml", method: .get)
                #expect(response.status == .ok)
            }
        }
    }

    @Test("every route the router serves is documented, and every documented operation is served")
    func routesMatchPaths() throws {
        let bridge = try TestBridge(server: ["metrics_token: \(String(repeating: "m", count: 40))"])
        // The console's HTML pages (docs/console.md) are not part of the JSON API.
        let served = Set(buildRouter(bridge.components, routes: .all).routes.map { "\($0.method.rawValue) \($0.path)" })
            .filter { !$0.contains(" /console") }
        let documented = try Self.documentedOperations()
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
    }

    @Test("every problem slug in the sources is a documented ProblemType")
    func problemSlugsDocumented() throws {
        let document = try Self.document()
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let problemType = try #require(schemas["ProblemType"] as? [String: Any])
        let documented = Set(try #require(problemType["oneOf"] as? [[String: Any]]).compactMap { $0["const"] as? String })
        var used: Set<String> = ["not-found", "method-not-allowed", "bad-request"]  // ProblemMiddleware.slug(for:)
        let pattern = try Regex(#"slug: "([a-z0-9-]+)""#)
        let sources = Self.root.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in text.matches(of: pattern) {
                if let slug = match.output[1].substring { used.insert(String(slug)) }
            }
        }
        #expect(used.count > 20)
        let missing = used.map { "urn:capi-bridge:problem:\($0)" }.filter { !documented.contains($0) }
        #expect(missing.isEmpty, "problem types not in ProblemType: \(missing.sorted())")
    }

    @Test("the ConversionEvent schemas are config/schema/conversion-event.schema.json with their $refs moved to components")
    func conversionEventMatchesSchema() throws {
        let schemas = try #require((try Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        var schema = try #require(try JSONSerialization.jsonObject(with: Self.file("config/schema/conversion-event.schema.json")) as? [String: Any])
        let definitions = try #require(schema.removeValue(forKey: "$defs") as? [String: Any])
        schema["$schema"] = nil
        schema["$id"] = nil
        #expect(try Self.canonical(schemas["ConversionEvent"]) == Self.canonical(Self.movingRefs(schema)))
        for (name, definition) in definitions {
            let component = try #require(schemas[Self.componentName(name)], "no component for $defs/\(name)")
            #expect(try Self.canonical(component) == Self.canonical(Self.movingRefs(definition)))
        }
    }

    /// `line_item` → `ConversionEventLineItem`, as `scripts/embed-openapi.py` names it.
    static func componentName(_ definition: String) -> String {
        "ConversionEvent" + definition.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func movingRefs(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, item) in object {
                if key == "$ref", let ref = item as? String, ref.hasPrefix("#/$defs/") {
                    result[key] = "#/components/schemas/" + componentName(String(ref.dropFirst("#/$defs/".count)))
                } else {
                    result[key] = movingRefs(item)
                }
            }
            return result
        }
        if let array = value as? [Any] { return array.map(movingRefs) }
        return value
    }

    /// Sorted-key JSON text, so YAML and JSON trees compare by value.
    static func canonical(_ value: Any?) throws -> String {
        let value = try #require(value)
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }
}
