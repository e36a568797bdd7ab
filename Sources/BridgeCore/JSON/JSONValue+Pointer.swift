extension JSONValue {
    /// This value with the member at `pointer` removed, and what was removed
    /// (`nil` when nothing was there). Only object members can be removed.
    public func removing(at pointer: JSONPointer) -> (JSONValue, removed: JSONValue?) {
        var copy = self
        let removed = copy.remove(tokens: pointer.tokens[...])
        return (copy, removed)
    }

    /// This value with `value` set at `pointer`, creating intermediate objects.
    /// Array elements are addressed by index; an out-of-range index changes nothing.
    public func setting(_ value: JSONValue, at pointer: JSONPointer) -> JSONValue {
        var copy = self
        copy.set(value, tokens: pointer.tokens[...])
        return copy
    }

    private mutating func remove(tokens: ArraySlice<String>) -> JSONValue? {
        guard let first = tokens.first else { return nil }
        switch self {
        case .object(var members):
            if tokens.count == 1 {
                let removed = members.removeValue(forKey: first)
                self = .object(members)
                return removed
            }
            guard var child = members[first] else { return nil }
            let removed = child.remove(tokens: tokens.dropFirst())
            members[first] = child
            self = .object(members)
            return removed
        case .array(var elements):
            guard let index = Int(first), elements.indices.contains(index), tokens.count > 1 else { return nil }
            let removed = elements[index].remove(tokens: tokens.dropFirst())
            self = .array(elements)
            return removed
        default:
            return nil
        }
    }

    private mutating func set(_ value: JSONValue, tokens: ArraySlice<String>) {
        guard let first = tokens.first else {
            self = value
            return
        }
        switch self {
        case .array(var elements):
            guard let index = Int(first), elements.indices.contains(index) else { return }
            elements[index].set(value, tokens: tokens.dropFirst())
            self = .array(elements)
        case .object(var members):
            var child = members[first] ?? .object([:])
            child.set(value, tokens: tokens.dropFirst())
            members[first] = child
            self = .object(members)
        default:
            var child = JSONValue.object([:])
            child.set(value, tokens: tokens.dropFirst())
            self = .object([first: child])
        }
    }
}
