import BridgeCore

/// An item held as a `JSONValue` tree: encoded with the values under
/// `clearPaths` (pointers relative to the item; a pointer to an object or
/// array selects every string and number inside it) written as clear values,
/// so the audit log records their digests. Used for deliveries prepared by
/// earlier versions (their stored JSON item joined with its sealed clear
/// fields) and GA4's merge of several items; every destination builds its
/// items as payload types.
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

/// What a tree walk marks: clear subtrees and where fragments go.
struct JSONTreeMarks {
    var clear: [[String]]

    func isClear(_ path: [String]) -> Bool { clear.contains { path.starts(with: $0) } }
}

/// One node of a tree walk.
struct JSONTreeNode: Encodable {
    let value: JSONValue
    let path: [String]
    let marks: JSONTreeMarks

    func encode(to encoder: any Encoder) throws {
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
