import BridgeCore

/// An event's `custom_properties` as one platform takes them: in name
/// order, after the members the platform's own object already has, leaving
/// out the names it reserves (the bridge's own value always wins, so a
/// custom `value` can never replace the order's value) and any beyond the
/// platform's count limit. Values are not personal data (the schema refuses
/// anything that looks like an e-mail address or a phone number), so they
/// are written as plain values, not `ClearText`.
///
/// Which platforms take them is each destination's decision: Meta
/// (`custom_data`, "plus arbitrary custom properties"), TikTok
/// (`properties`), GA4 (event `params`, 25 per event in all) and the
/// webhook and sandbox destinations (`custom_properties`). Snapchat,
/// Pinterest (its schema refuses unknown properties), Reddit, LinkedIn and
/// Google document no custom parameters, and never receive them.
struct CustomParameters: Encodable, Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        let name: String
        let value: CustomValue
    }

    let entries: [Entry]

    /// - Parameters:
    ///   - reserved: names the platform's object uses or reserves.
    ///   - limit: the most parameters the platform takes here.
    init(_ properties: CustomProperties, reserved: Set<String>, limit: Int = CustomProperties.maxCount) {
        entries = Array(properties.sorted.filter { !reserved.contains($0.name) }.prefix(max(0, limit)).map { Entry(name: $0.name, value: $0.value) })
    }

    var isEmpty: Bool { entries.isEmpty }

    struct NameKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Writes the parameters as members of the object being encoded (after
    /// what its own `encode(to:)` wrote).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: NameKey.self)
        for entry in entries {
            let key = NameKey(stringValue: entry.name)
            switch entry.value {
            case .string(let text): try container.encode(text, forKey: key)
            case .number(let text): try container.encode(JSONNumberText(text), forKey: key)
            case .bool(let flag): try container.encode(flag, forKey: key)
            }
        }
    }
}

/// A platform's parameter object (`custom_data`, `properties`, `params`)
/// followed by the event's custom parameters, in one JSON object.
struct WithCustomParameters<Base: Encodable & Sendable & Equatable>: Encodable, Sendable, Equatable {
    var base: Base
    var custom: CustomParameters

    func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        try custom.encode(to: encoder)
    }
}
