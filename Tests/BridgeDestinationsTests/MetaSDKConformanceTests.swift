import BridgeCore
import BridgeDestinations
import Testing

/// Our Meta request against the one Meta's official SDK builds for the same
/// purchase (`scripts/gen-meta-golden.py` → `fixtures/destinations/meta-sdk-purchase.json`).
@Suite("Meta request matches the facebook-business SDK")
struct MetaSDKConformanceTests {
    @Test("same keys, same list-or-string forms, same values (numbers by value)")
    func matchesSDK() throws {
        let meta = try DestinationFixtures.meta()
        let item = try DestinationFixtures.item(meta, try DestinationFixtures.purchase())
        let ours = meta.makeRequest(items: [item], batchID: "b", now: DestinationFixtures.sentAt).auditPayload
        guard case .object(var sdk) = try JSONParser.parse(try DestinationFixtures.bytes("destinations/meta-sdk-purchase.json")) else {
            Issue.record("the SDK fixture is not an object")
            return
        }
        sdk["_notes"] = nil
        var differences: [String] = []
        Self.compare(ours, .object(sdk), at: "", into: &differences)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    @Test("numbers are written exactly, with the currency's digits, where the SDK writes floats")
    func numberSpelling() throws {
        let meta = try DestinationFixtures.meta()
        let item = try DestinationFixtures.item(meta, try DestinationFixtures.purchase())
        #expect(item["custom_data"]?["value"] == .number("129.90"))
        let sdk = try JSONParser.parse(try DestinationFixtures.bytes("destinations/meta-sdk-purchase.json"))
        #expect(sdk["data"]?[0]?["custom_data"]?["value"] == .number("129.9"))
    }

    /// Structural comparison: object keys as sets, arrays in order, numbers
    /// as exact decimals, everything else by equality.
    static func compare(_ ours: JSONValue, _ theirs: JSONValue, at path: String, into differences: inout [String]) {
        switch (ours, theirs) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted() {
                switch (a[key], b[key]) {
                case (let x?, let y?): compare(x, y, at: path + "/" + key, into: &differences)
                case (nil, _): differences.append("\(path)/\(key): only the SDK has it")
                case (_, nil): differences.append("\(path)/\(key): only we have it")
                }
            }
        case (.array(let a), .array(let b)):
            guard a.count == b.count else {
                differences.append("\(path): \(a.count) elements, the SDK has \(b.count)")
                return
            }
            for (index, pair) in zip(a, b).enumerated() { compare(pair.0, pair.1, at: "\(path)/\(index)", into: &differences) }
        case (.number(let a), .number(let b)):
            if Money.Amount(a) == nil || Money.Amount(a) != Money.Amount(b) { differences.append("\(path): \(a) vs the SDK's \(b)") }
        default:
            if ours != theirs { differences.append("\(path): \(ours.typeName) differs from the SDK's \(theirs.typeName)") }
        }
    }
}
