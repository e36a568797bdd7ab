import BridgeCore

/// Hostile variants of a JSON document: every member up to a depth replaced by
/// a value of the wrong type, a huge or malformed number, personal data, or
/// removed altogether.
enum PayloadMutations {
    /// A step into a document.
    enum Step: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    /// What each member is replaced with; `nil` removes it.
    static let replacements: [JSONValue?] = [
        nil, .null, .bool(true), .number("-1"), .number("1.5"), .number("123456789012345678901234567890"),
        .string(""), .string("-99999999999999999999.99"), .string("avery.jensen@example.com"), .array([]), .object([:]),
    ]

    /// The paths of every member down to `depth` (arrays: their first element only).
    static func paths(in value: JSONValue, depth: Int) -> [[Step]] {
        guard depth > 0 else { return [] }
        var paths: [[Step]] = []
        switch value {
        case .object(let members):
            for key in members.keys.sorted() {
                paths.append([.key(key)])
                if let child = members[key] {
                    paths += self.paths(in: child, depth: depth - 1).map { [.key(key)] + $0 }
                }
            }
        case .array(let elements):
            if let first = elements.first {
                paths.append([.index(0)])
                paths += self.paths(in: first, depth: depth - 1).map { [.index(0)] + $0 }
            }
        default:
            break
        }
        return paths
    }

    /// `document` with the member at `path` replaced by `replacement` (or removed).
    static func replacing(_ path: [Step], in document: JSONValue, with replacement: JSONValue?) -> JSONValue {
        guard let step = path.first else { return replacement ?? .null }
        let rest = Array(path.dropFirst())
        switch (step, document) {
        case (.key(let key), .object(var members)):
            if rest.isEmpty && replacement == nil {
                members[key] = nil
            } else if let child = members[key] {
                members[key] = replacing(rest, in: child, with: replacement)
            }
            return .object(members)
        case (.index(let index), .array(var elements)) where elements.indices.contains(index):
            if rest.isEmpty && replacement == nil {
                elements.remove(at: index)
            } else {
                elements[index] = replacing(rest, in: elements[index], with: replacement)
            }
            return .array(elements)
        default:
            return document
        }
    }
}
