import Foundation

extension JSONSchema {
    /// Turns a schema document into nodes, one per (sub)schema.
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
                case "x-message":
                    // An annotation of ours: the violation message of this schema's own
                    // `enum`, `pattern` or `anyOf`, or of a `not` of it, in words.
                    guard let text = value.stringValue else { throw CompileError(pointer: here, reason: "x-message must be a string") }
                    node.failureMessage = text
                case _ where Compiler.ignoredKeywords.contains(keyword):
                    continue
                case "type":
                    node.types = try types(value, here)
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
                case "propertyNames":
                    node.propertyNames = try compile(value, at: here)
                case "dependentRequired":
                    guard case .object(let deps) = value else { throw CompileError(pointer: here, reason: "dependentRequired must be an object") }
                    for (name, list) in deps { node.dependentRequired[name] = list.arrayValue?.compactMap(\.stringValue) ?? [] }
                case "items":
                    node.items = try compile(value, at: here)
                case "minProperties": node.minProperties = try integer(value, here)
                case "maxProperties": node.maxProperties = try integer(value, here)
                case "minItems": node.minItems = try integer(value, here)
                case "maxItems": node.maxItems = try integer(value, here)
                case "minLength": node.minLength = try integer(value, here)
                case "maxLength": node.maxLength = try integer(value, here)
                case "minimum", "maximum":
                    guard let text = value.numberText, let bound = JSONDecimal(text) else {
                        throw CompileError(pointer: here, reason: "\(keyword) must be a number")
                    }
                    if keyword == "minimum" { node.minimum = bound } else { node.maximum = bound }
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
                case "not":
                    node.not = try compile(value, at: here)
                case "if":
                    node.ifSchema = try compile(value, at: here)
                case "then":
                    node.thenSchema = try compile(value, at: here)
                case "else":
                    node.elseSchema = try compile(value, at: here)
                default:
                    throw CompileError(pointer: here, reason: "unsupported keyword")
                }
            }
            node.declaresMembers =
                node.types?.contains(.object) == true && members["properties"] != nil && members["additionalProperties"] == nil
            nodes[index] = node
            return index
        }

        func types(_ value: JSONValue, _ pointer: String) throws(CompileError) -> Set<TypeName> {
            let names: [String]
            switch value {
            case .string(let s): names = [s]
            case .array(let a): names = a.compactMap(\.stringValue)
            default: throw CompileError(pointer: pointer, reason: "type must be a string or an array")
            }
            var set = Set<TypeName>()
            for name in names {
                guard let t = TypeName(rawValue: name) else { throw CompileError(pointer: pointer, reason: "unknown type") }
                set.insert(t)
            }
            return set
        }

        func integer(_ value: JSONValue, _ pointer: String) throws(CompileError) -> Int {
            guard let text = value.numberText, let n = JSONDecimal(text)?.intValue, n >= 0 else {
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
}
