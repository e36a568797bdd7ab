import Foundation

/// A compiled JSON Schema (draft 2020-12 subset) that validates `JSONValue`s.
///
/// Supports the keywords the bridge's published schemas use: `type`, `enum`,
/// `const`, `properties`, `required`, `additionalProperties`,
/// `dependentRequired`, `maxProperties`, `items`, `minItems`, `maxItems`, `minLength`,
/// `maxLength`, `pattern`, `minimum`, `maximum`, `format: date-time`, `$ref`
/// to `#/$defs/…`, `allOf`, `anyOf`, `oneOf`. Compiling a schema that uses any
/// other assertion keyword fails, so a constraint can never be silently ignored.
public struct JSONSchema: Sendable {
    let nodes: [Node]
    let root: Int

    /// One validation failure.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// Where in the instance the failure is.
        public let pointer: JSONPointer
        /// What is wrong, in words; never echoes the offending value.
        public let message: String

        public var description: String { "\(pointer.description.isEmpty ? "/" : pointer.description): \(message)" }
    }

    /// Why a schema document could not be compiled.
    public struct CompileError: Error, Sendable, CustomStringConvertible {
        public let pointer: String
        public let reason: String
        public var description: String { "schema error at \(pointer.isEmpty ? "/" : pointer): \(reason)" }
    }

    /// Compiles a schema document.
    public init(_ document: JSONValue) throws(CompileError) {
        var compiler = Compiler(document: document)
        let root = try compiler.compile(document, at: "")
        try compiler.resolveReferences()
        self.nodes = compiler.nodes
        self.root = root
        self.identifier = document["$id"]?.stringValue
    }

    /// The schema's `$id`, if it has one (readers that check one schema's
    /// rules themselves, such as `CanonicalEventReader`, check it is theirs).
    public let identifier: String?

    /// Compiles a schema from its JSON text.
    public init(json: String) throws(CompileError) {
        let document: JSONValue
        do { document = try JSONParser.parse(json) } catch { throw CompileError(pointer: "", reason: error.description) }
        try self.init(document)
    }

    /// Validates `instance`; returns at most `limit` violations, empty when valid.
    public func validate(_ instance: JSONValue, at base: JSONPointer = .root, limit: Int = 10) -> [Violation] {
        var violations: [Violation] = []
        check(instance, against: root, at: base, into: &violations, limit: limit)
        // Members are visited in hash order (sorting every object would cost
        // every request); sort what was found so errors read the same each time.
        return violations.sorted { ($0.pointer.description, $0.message) < ($1.pointer.description, $1.message) }
    }

    // MARK: - Nodes

    enum TypeName: String, CaseIterable, Sendable {
        case null, boolean, object, array, number, string, integer
    }

    /// A regular expression compiled once; `NSRegularExpression` is immutable
    /// after creation and documented thread-safe for matching.
    struct Pattern: @unchecked Sendable {
        let source: String
        let regex: NSRegularExpression

        func matches(_ string: String) -> Bool {
            let ns = string as NSString
            return regex.firstMatch(in: string, options: [], range: NSRange(location: 0, length: ns.length)) != nil
        }
    }

    struct Node: Sendable {
        var alwaysFails = false
        var types: Set<TypeName>?
        var enumValues: [JSONValue]?
        var constValue: JSONValue?
        var properties: [String: Int] = [:]
        var required: [String] = []
        var additionalProperties: Int?  // node index
        var forbidAdditional = false
        var dependentRequired: [String: [String]] = [:]
        var maxProperties: Int?
        var items: Int?
        var minItems: Int?
        var maxItems: Int?
        var minLength: Int?
        var maxLength: Int?
        var pattern: Pattern?
        var minimum: Money.Amount?
        var maximum: Money.Amount?
        var formatDateTime = false
        var reference: String?
        var resolvedReference: Int?
        var allOf: [Int] = []
        var anyOf: [Int] = []
        var oneOf: [Int] = []
    }

    struct Compiler {
        let document: JSONValue
        var nodes: [Node] = []
        var definitions: [String: Int] = [:]

        static let ignoredKeywords: Set<String> = [
            "$schema", "$id", "$comment", "title", "description", "examples", "default", "$defs", "deprecated",
            "readOnly", "writeOnly",
        ]

        init(document: JSONValue) { self.document = document }

        mutating func compile(_ schema: JSONValue, at pointer: String) throws(CompileError) -> Int {
            if case .bool(let b) = schema {
                nodes.append(Node(alwaysFails: !b))
                return nodes.count - 1
            }
            guard case .object(let members) = schema else {
                throw CompileError(pointer: pointer, reason: "a schema must be an object or a boolean")
            }
            let index = nodes.count
            nodes.append(Node())
            var node = Node()
            for (keyword, value) in members {
                let here = pointer + "/" + keyword
                switch keyword {
                case _ where Compiler.ignoredKeywords.contains(keyword):
                    continue
                case "type":
                    let names: [String]
                    switch value {
                    case .string(let s): names = [s]
                    case .array(let a): names = a.compactMap(\.stringValue)
                    default: throw CompileError(pointer: here, reason: "type must be a string or an array")
                    }
                    var set = Set<TypeName>()
                    for name in names {
                        guard let t = TypeName(rawValue: name) else { throw CompileError(pointer: here, reason: "unknown type") }
                        set.insert(t)
                    }
                    node.types = set
                case "enum":
                    guard case .array(let a) = value else { throw CompileError(pointer: here, reason: "enum must be an array") }
                    node.enumValues = a
                case "const":
                    node.constValue = value
                case "properties":
                    guard case .object(let props) = value else { throw CompileError(pointer: here, reason: "properties must be an object") }
                    for (name, sub) in props {
                        node.properties[name] = try compile(sub, at: here + "/" + name)
                    }
                case "required":
                    guard case .array(let a) = value else { throw CompileError(pointer: here, reason: "required must be an array") }
                    node.required = a.compactMap(\.stringValue)
                case "additionalProperties":
                    if case .bool(false) = value { node.forbidAdditional = true } else { node.additionalProperties = try compile(value, at: here) }
                case "dependentRequired":
                    guard case .object(let deps) = value else { throw CompileError(pointer: here, reason: "dependentRequired must be an object") }
                    for (name, list) in deps { node.dependentRequired[name] = list.arrayValue?.compactMap(\.stringValue) ?? [] }
                case "items":
                    node.items = try compile(value, at: here)
                case "maxProperties": node.maxProperties = try integer(value, here)
                case "minItems": node.minItems = try integer(value, here)
                case "maxItems": node.maxItems = try integer(value, here)
                case "minLength": node.minLength = try integer(value, here)
                case "maxLength": node.maxLength = try integer(value, here)
                case "minimum", "maximum":
                    guard let text = value.numberText, let amount = Money.Amount(text) else {
                        throw CompileError(pointer: here, reason: "\(keyword) must be a plain decimal number")
                    }
                    if keyword == "minimum" { node.minimum = amount } else { node.maximum = amount }
                case "pattern":
                    guard let source = value.stringValue else { throw CompileError(pointer: here, reason: "pattern must be a string") }
                    do {
                        node.pattern = Pattern(source: source, regex: try NSRegularExpression(pattern: source))
                    } catch {
                        throw CompileError(pointer: here, reason: "invalid regular expression")
                    }
                case "format":
                    guard value.stringValue == "date-time" else { throw CompileError(pointer: here, reason: "only format date-time is supported") }
                    node.formatDateTime = true
                case "$ref":
                    guard let ref = value.stringValue, ref.hasPrefix("#") else {
                        throw CompileError(pointer: here, reason: "only local references (#/...) are supported")
                    }
                    node.reference = String(ref.dropFirst())
                case "allOf", "anyOf", "oneOf":
                    guard case .array(let subs) = value else { throw CompileError(pointer: here, reason: "\(keyword) must be an array") }
                    var list: [Int] = []
                    for (i, sub) in subs.enumerated() { list.append(try compile(sub, at: here + "/\(i)")) }
                    if keyword == "allOf" { node.allOf = list } else if keyword == "anyOf" { node.anyOf = list } else { node.oneOf = list }
                default:
                    throw CompileError(pointer: here, reason: "unsupported keyword")
                }
            }
            nodes[index] = node
            return index
        }

        func integer(_ value: JSONValue, _ pointer: String) throws(CompileError) -> Int {
            guard let text = value.numberText, let n = Int(text), n >= 0 else {
                throw CompileError(pointer: pointer, reason: "must be a non-negative integer")
            }
            return n
        }

        mutating func resolveReferences() throws(CompileError) {
            for i in nodes.indices {
                guard let ref = nodes[i].reference else { continue }
                if let known = definitions[ref] {
                    nodes[i].resolvedReference = known
                    continue
                }
                guard let pointer = JSONPointer(parsing: ref), let target = pointer.resolve(in: document) else {
                    throw CompileError(pointer: ref, reason: "reference does not resolve")
                }
                let compiled = try compile(target, at: ref)
                definitions[ref] = compiled
                nodes[i].resolvedReference = compiled
            }
            // References inside newly compiled definitions.
            if nodes.contains(where: { $0.reference != nil && $0.resolvedReference == nil }) {
                try resolveReferences()
            }
        }
    }

    // MARK: - Validation

    private func check(_ value: JSONValue, against index: Int, at pointer: JSONPointer, into violations: inout [Violation], limit: Int) {
        guard violations.count < limit else { return }
        let node = nodes[index]
        func fail(_ message: String, at p: JSONPointer = pointer) {
            if violations.count < limit { violations.append(Violation(pointer: p, message: message)) }
        }
        if node.alwaysFails { return fail("no value is allowed here") }
        if let target = node.resolvedReference {
            check(value, against: target, at: pointer, into: &violations, limit: limit)
        }
        if let types = node.types, !matches(value, types) {
            let expected = types.map(\.rawValue).sorted().joined(separator: " or ")
            return fail("expected \(expected), found \(value.typeName)")
        }
        if let options = node.enumValues, !options.contains(value) {
            let shown = options.map { $0.isNull ? "null" : ($0.stringValue ?? JSONWriter.string($0)) }.joined(separator: ", ")
            return fail("must be one of: \(shown)")
        }
        if let constant = node.constValue, constant != value { return fail("must equal the constant value") }
        switch value {
        case .object(let members):
            if let max = node.maxProperties, members.count > max { fail("must have at most \(max) properties") }
            for name in node.required where members[name] == nil {
                fail("required property '\(name)' is missing", at: pointer.appending(name))
            }
            for (name, dependents) in node.dependentRequired where members[name].map({ !$0.isNull }) ?? false {
                for dependent in dependents where members[dependent]?.isNull ?? true {
                    fail("'\(dependent)' is required when '\(name)' is present", at: pointer.appending(dependent))
                }
            }
            for (name, member) in members {
                if let sub = node.properties[name] {
                    check(member, against: sub, at: pointer.appending(name), into: &violations, limit: limit)
                } else if node.forbidAdditional {
                    fail("property is not allowed", at: pointer.appending(name))
                } else if let sub = node.additionalProperties {
                    check(member, against: sub, at: pointer.appending(name), into: &violations, limit: limit)
                }
            }
        case .array(let elements):
            if let min = node.minItems, elements.count < min { fail("must have at least \(min) items") }
            if let max = node.maxItems, elements.count > max { fail("must have at most \(max) items") }
            if let sub = node.items {
                for (i, element) in elements.enumerated() {
                    check(element, against: sub, at: pointer.appending(i), into: &violations, limit: limit)
                    if violations.count >= limit { break }
                }
            }
        case .string(let s):
            if node.minLength != nil || node.maxLength != nil {
                let length = s.unicodeScalars.count
                if let min = node.minLength, length < min { fail("must be at least \(min) characters") }
                if let max = node.maxLength, length > max { fail("must be at most \(max) characters") }
            }
            if let pattern = node.pattern, !pattern.matches(s) { fail("does not match the pattern \(pattern.source)") }
            if node.formatDateTime, Timestamp(rfc3339: s) == nil { fail("must be an RFC 3339 date-time with an offset") }
        case .number(let text):
            if node.minimum != nil || node.maximum != nil {
                guard let amount = Money.Amount(text) else { return fail("number is out of range") }
                if let min = node.minimum, amount < min { fail("must be at least \(min)") }
                if let max = node.maximum, amount > max { fail("must be at most \(max)") }
            }
        default:
            break
        }
        for sub in node.allOf { check(value, against: sub, at: pointer, into: &violations, limit: limit) }
        if !node.anyOf.isEmpty, !node.anyOf.contains(where: { isValid(value, $0) }) { fail("matches none of the allowed shapes") }
        if !node.oneOf.isEmpty, node.oneOf.filter({ isValid(value, $0) }).count != 1 { fail("must match exactly one allowed shape") }
    }

    private func isValid(_ value: JSONValue, _ index: Int) -> Bool {
        var scratch: [Violation] = []
        check(value, against: index, at: .root, into: &scratch, limit: 1)
        return scratch.isEmpty
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
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return true }
        if let amount = Money.Amount(text) { return amount.significantFractionDigits == 0 }
        return false
    }
}
