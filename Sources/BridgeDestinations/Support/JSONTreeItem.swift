import BridgeCore

/// An item a destination builds as a `JSONValue` tree: encoded with the
/// values under `clearPaths` (pointers relative to the item; a pointer to an
/// object or array selects every string and number inside it) written as
/// clear values, so the audit log records their digests. The bridge between
/// tree-built items and `DestinationItem` until a destination has a payload
/// type of its own.
public struct JSONTreeItem: DestinationItem, Equatable {
    public let value: JSONValue
    public let clearPaths: [JSONPointer]

    public init(_ value: JSONValue, clearPaths: [JSONPointer]) {
        self.value = value
        self.clearPaths = clearPaths
    }

    public func encode(to encoder: any Encoder) throws {
        try JSONTreeNode(value: value, path: [], marks: JSONTreeMarks(clear: clearPaths.map(\.tokens))).encode(to: encoder)
    }
}

/// A request envelope built as a `JSONValue` tree with the encoded items
/// placed at `itemsAt` (replacing whatever the tree holds there): as an
/// array, or the one item itself with `single`.
public struct JSONEnvelope: Encodable {
    public let value: JSONValue
    public let items: [EncodedJSON]
    public let itemsAt: JSONPointer
    public let single: Bool

    public init(_ value: JSONValue, items: [EncodedJSON], at pointer: JSONPointer) {
        self.value = value
        self.items = items
        self.itemsAt = pointer
        self.single = false
    }

    /// An envelope holding one item as the value at `pointer`.
    public init(_ value: JSONValue, item: EncodedJSON, at pointer: JSONPointer) {
        self.value = value
        self.items = [item]
        self.itemsAt = pointer
        self.single = true
    }

    public func encode(to encoder: any Encoder) throws {
        let marks = JSONTreeMarks(clear: [], items: (itemsAt.tokens, items.map(JSONFragment.init)), single: single)
        try JSONTreeNode(value: value, path: [], marks: marks).encode(to: encoder)
    }

    /// The envelope encoded once.
    public func encoded() -> EncodedJSON {
        // Trees of strings, numbers and fragments always encode.
        (try? JSONBytesEncoder.encode(self)) ?? EncodedJSON(bytes: Array("{}".utf8))
    }
}

/// What a tree walk marks: clear subtrees and where fragments go.
struct JSONTreeMarks {
    var clear: [[String]]
    var items: (path: [String], fragments: [JSONFragment])?
    var single = false

    func isClear(_ path: [String]) -> Bool { clear.contains { path.starts(with: $0) } }
}

/// One node of a tree walk.
struct JSONTreeNode: Encodable {
    let value: JSONValue
    let path: [String]
    let marks: JSONTreeMarks

    func encode(to encoder: any Encoder) throws {
        if let items = marks.items, items.path == path {
            if marks.single, let only = items.fragments.first { try only.encode(to: encoder) } else { try items.fragments.encode(to: encoder) }
            return
        }
        switch value {
        case .object(let members):
            var container = encoder.container(keyedBy: JSONTreeKey.self)
            for (key, member) in members {
                try container.encode(JSONTreeNode(value: member, path: path + [key], marks: marks), forKey: JSONTreeKey(key))
            }
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for (index, element) in elements.enumerated() {
                try container.encode(JSONTreeNode(value: element, path: path + [String(index)], marks: marks))
            }
        case .string(let text) where marks.isClear(path):
            try ClearText(text).encode(to: encoder)
        case .number(let text) where marks.isClear(path):
            try ClearText(number: text).encode(to: encoder)
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .number(let text):
            try JSONNumberText(text).encode(to: encoder)
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }
}

struct JSONTreeKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
