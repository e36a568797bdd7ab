extension JSONSchema {
    func check(_ value: JSONValue, against index: Int, at pointer: JSONPointer, walk: inout Walk) {
        guard !walk.isFull else { return }
        let node = nodes[index]
        func fail(_ message: String, at p: JSONPointer = pointer) {
            if !walk.isFull { walk.violations.append(Violation(pointer: p, message: message)) }
        }
        if node.alwaysFails { return fail("no value is allowed here") }
        if let target = node.resolvedReference {
            check(value, against: target, at: pointer, walk: &walk)
        }
        if let types = node.types, !matches(value, types) {
            let expected = types.map(\.rawValue).sorted().joined(separator: " or ")
            return fail("expected \(expected), found \(value.typeName)")
        }
        if let options = node.enumValues, !options.contains(where: { Self.equal($0, value) }) {
            if let message = node.failureMessage { return fail(message) }
            let shown = options.prefix(24).map { $0.isNull ? "null" : ($0.stringValue ?? JSONWriter.string($0)) }.joined(separator: ", ")
            return fail("must be one of: \(shown)\(options.count > 24 ? ", …" : "")")
        }
        if let constant = node.constValue, !Self.equal(constant, value) { return fail("must equal the constant value") }
        switch value {
        case .object(let members):
            checkObject(members, node: node, at: pointer, walk: &walk)
        case .array(let elements):
            if let min = node.minItems, elements.count < min { fail("must have at least \(min) items") }
            if let max = node.maxItems, elements.count > max { fail("must have at most \(max) items") }
            if let sub = node.items {
                for (i, element) in elements.enumerated() {
                    check(element, against: sub, at: pointer.appending(i), walk: &walk)
                    if walk.isFull { break }
                }
            }
        case .string(let s):
            if node.minLength != nil || node.maxLength != nil {
                let length = s.unicodeScalars.count
                if let min = node.minLength, length < min { fail("must be at least \(min) characters") }
                if let max = node.maxLength, length > max { fail("must be at most \(max) characters") }
            }
            if let pattern = node.pattern, !pattern.matches(s) { fail(node.failureMessage ?? "does not match the pattern \(pattern.source)") }
            if node.formatDateTime, Timestamp(rfc3339: s) == nil { fail("must be an RFC 3339 date-time with an offset") }
        case .number(let text):
            if node.minimum != nil || node.maximum != nil {
                guard let number = JSONDecimal(text) else { return fail("not a number") }
                if let min = node.minimum, number < min { fail(node.failureMessage ?? "must be at least \(min)") }
                if let max = node.maximum, number > max { fail(node.failureMessage ?? "must be at most \(max)") }
            }
        default:
            break
        }
        for sub in node.allOf { check(value, against: sub, at: pointer, walk: &walk) }
        if !node.anyOf.isEmpty, !node.anyOf.contains(where: { isValid(value, $0) }) { fail(node.failureMessage ?? "matches none of the allowed shapes") }
        if !node.oneOf.isEmpty, node.oneOf.filter({ isValid(value, $0) }).count != 1 { fail("must match exactly one allowed shape") }
        if let not = node.not, isValid(value, not) { fail(notMessage(not)) }
        if let condition = node.ifSchema {
            if isValid(value, condition) {
                if let then = node.thenSchema { check(value, against: then, at: pointer, walk: &walk) }
            } else if let otherwise = node.elseSchema {
                check(value, against: otherwise, at: pointer, walk: &walk)
            }
        }
    }

    private func checkObject(_ members: [String: JSONValue], node: Node, at pointer: JSONPointer, walk: inout Walk) {
        func fail(_ message: String, at p: JSONPointer = pointer) {
            if !walk.isFull { walk.violations.append(Violation(pointer: p, message: message)) }
        }
        if let min = node.minProperties, members.count < min { fail("must have at least \(min) properties") }
        if let max = node.maxProperties, members.count > max { fail("must have at most \(max) properties") }
        for name in node.required where members[name] == nil {
            fail("required property '\(name)' is missing", at: pointer.appending(name))
        }
        for (name, dependents) in node.dependentRequired where members[name] != nil {
            for dependent in dependents where members[dependent] == nil {
                fail("'\(dependent)' is required when '\(name)' is present", at: pointer.appending(dependent))
            }
        }
        for (name, member) in members {
            let here = pointer.appending(name)
            if let names = node.propertyNames, !isValid(.string(name), names) {
                fail("the property name is not allowed here", at: here)
            }
            if let sub = node.properties[name] {
                check(member, against: sub, at: here, walk: &walk)
            } else if node.forbidAdditional {
                fail("property is not allowed", at: here)
            } else if let sub = node.additionalProperties {
                check(member, against: sub, at: here, walk: &walk)
            } else if node.declaresMembers {
                switch walk.unknownProperties {
                case .refuse?:
                    if !walk.isFull {
                        walk.violations.append(Violation(pointer: here, message: Self.unknownPropertyMessage, isUnknownProperty: true))
                    }
                case .ignore?:
                    if walk.ignored.count < walk.ignoredLimit { walk.ignored.append(here) }
                case nil:
                    break
                }
            }
        }
    }

    /// A `not` failure in words: the schema's `description` when it has one
    /// (`"looks like an e-mail address or a phone number"`), else generic.
    private func notMessage(_ index: Int) -> String {
        let node = nodes[index]
        return node.failureMessage ?? node.resolvedReference.flatMap { nodes[$0].failureMessage } ?? "matches a shape that is not allowed"
    }

    func isValid(_ value: JSONValue, _ index: Int) -> Bool {
        var trial = Walk(limit: 1, unknownProperties: nil)
        check(value, against: index, at: .root, walk: &trial)
        return trial.violations.isEmpty
    }

    private func matches(_ value: JSONValue, _ types: Set<TypeName>) -> Bool {
        switch value {
        case .null: return types.contains(.null)
        case .bool: return types.contains(.boolean)
        case .object: return types.contains(.object)
        case .array: return types.contains(.array)
        case .string: return types.contains(.string)
        case .number(let text):
            if types.contains(.number) { return true }
            return types.contains(.integer) && JSONSchema.isInteger(text)
        }
    }

    /// JSON Schema's integer: a number with no fractional part (`3`, `3.0`, `3e2`).
    static func isInteger(_ text: String) -> Bool {
        JSONDecimal(text)?.isInteger ?? false
    }

    /// JSON Schema equality (`enum`, `const`): numbers by value (`1` equals
    /// `1.0`), objects and arrays member by member.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            guard let dx = JSONDecimal(x), let dy = JSONDecimal(y) else { return x == y }
            return dx == dy
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        default:
            return a == b
        }
    }
}
