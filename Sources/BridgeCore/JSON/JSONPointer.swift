/// An RFC 6901 JSON pointer, built up while walking a document, used to say
/// exactly where a payload is wrong (`/data/customer/email`).
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// Reference tokens, unescaped.
    public private(set) var tokens: [String]

    public init(_ tokens: [String] = []) { self.tokens = tokens }

    /// The pointer to the document root (`""`).
    public static let root = JSONPointer()

    /// This pointer extended by an object key.
    public func appending(_ key: String) -> JSONPointer {
        var copy = self
        copy.tokens.append(key)
        return copy
    }

    /// This pointer extended by an array index.
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }

    /// The escaped RFC 6901 form (`~` → `~0`, `/` → `~1`).
    public var description: String {
        tokens.map { "/" + $0.replacingAll("~", with: "~0").replacingAll("/", with: "~1") }.joined()
    }

    /// Parses the RFC 6901 form; returns `nil` when it does not start with `/`
    /// (and is not empty) or has a bad escape.
    public init?(parsing text: String) {
        if text.isEmpty { self.init(); return }
        guard text.first == "/" else { return nil }
        var tokens: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var iterator = raw.makeIterator()
            while let ch = iterator.next() {
                if ch == "~" {
                    switch iterator.next() {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: return nil
                    }
                } else {
                    token.append(ch)
                }
            }
            tokens.append(token)
        }
        self.init(tokens)
    }

    /// The value this pointer designates inside `document`, or `nil`.
    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}

extension String {
    /// `self` with every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var result = ""
        for ch in self {
            if ch == target { result += replacement } else { result.append(ch) }
        }
        return result
    }
}
