import Foundation

/// A compiled JSON Schema (draft 2020-12 subset) that validates `JSONValue`s.
///
/// Supports the keywords the bridge's published schemas use: `type`, `enum`,
/// `const`, `properties`, `required`, `additionalProperties`,
/// `propertyNames`, `dependentRequired`, `minProperties`, `maxProperties`,
/// `items`, `minItems`, `maxItems`, `minLength`, `maxLength`, `pattern`,
/// `minimum`, `maximum`, `format: date-time`, `$ref` to `#/$defs/…`,
/// `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`, and one annotation
/// of ours, `x-message` (the words of a violation). Compiling a schema
/// that uses any other assertion keyword fails, so a constraint can never be
/// silently ignored. Keywords mean what the specification says (a member
/// whose value is `null` is present, for `required` and `dependentRequired`
/// alike); numbers compare exactly (`JSONDecimal`).
///
/// Unknown properties: an object schema that declares `type: object` and
/// `properties` but no `additionalProperties` allows other members, as the
/// specification says; `evaluate` reports each of them (`Verdict.ignored`)
/// or, with `.refuse`, refuses each (the `strict: true` policy).
public struct JSONSchema: Sendable {
    let nodes: [Node]
    let root: Int

    /// What to do with members an object schema does not declare.
    public enum UnknownProperties: Sendable, Equatable {
        /// Allow them and list their pointers in `Verdict.ignored`.
        case ignore
        /// Refuse each with a violation (`Violation.isUnknownProperty`).
        case refuse
    }

    /// One validation failure.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// Where in the instance the failure is.
        public let pointer: JSONPointer
        /// What is wrong, in words; never echoes the offending value.
        public let message: String
        /// A member the schema does not declare, refused by `.refuse`.
        public var isUnknownProperty = false

        public init(pointer: JSONPointer, message: String, isUnknownProperty: Bool = false) {
            self.pointer = pointer
            self.message = message
            self.isUnknownProperty = isUnknownProperty
        }

        public var description: String { "\(pointer.description.isEmpty ? "/" : pointer.description): \(message)" }
    }

    /// The outcome of `evaluate`.
    public struct Verdict: Sendable, Equatable {
        /// Empty when the instance is valid.
        public var violations: [Violation] = []
        /// Members no object schema declares (with `.ignore`), sorted.
        public var ignored: [JSONPointer] = []

        public var isValid: Bool { violations.isEmpty }
    }

    /// The message of an unknown property refused by `.refuse`.
    public static let unknownPropertyMessage = "property is not part of the schema (unknown properties are refused: strict)"

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

    /// Validates `instance`; returns at most `limit` violations, empty when
    /// valid. Unknown properties are allowed.
    public func validate(_ instance: JSONValue, at base: JSONPointer = .root, limit: Int = 10) -> [Violation] {
        evaluate(instance, at: base, limit: limit).violations
    }

    /// Validates `instance` and reports the members no object schema declares.
    /// - Parameters:
    ///   - unknownProperties: list them (`.ignore`) or refuse each (`.refuse`).
    ///   - limit: the most violations returned.
    ///   - ignoredLimit: the most ignored pointers listed.
    public func evaluate(
        _ instance: JSONValue, at base: JSONPointer = .root, unknownProperties: UnknownProperties = .ignore, limit: Int = 10,
        ignoredLimit: Int = 100
    ) -> Verdict {
        var walk = Walk(limit: limit, ignoredLimit: ignoredLimit, unknownProperties: unknownProperties)
        check(instance, against: root, at: base, walk: &walk)
        // Members are visited in hash order (sorting every object would cost
        // every request); sort what was found so errors read the same each time.
        let order: (JSONPointer, JSONPointer) -> Bool = { $0.description < $1.description }
        return Verdict(
            violations: walk.violations.sorted { ($0.pointer.description, $0.message) < ($1.pointer.description, $1.message) },
            ignored: walk.ignored.sorted(by: order))
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
        /// `type: object` with `properties` and no `additionalProperties`:
        /// other members are unknown properties (see `UnknownProperties`).
        var declaresMembers = false
        var propertyNames: Int?
        var dependentRequired: [String: [String]] = [:]
        var minProperties: Int?
        var maxProperties: Int?
        var items: Int?
        var minItems: Int?
        var maxItems: Int?
        var minLength: Int?
        var maxLength: Int?
        var pattern: Pattern?
        var minimum: JSONDecimal?
        var maximum: JSONDecimal?
        var formatDateTime = false
        var reference: String?
        var resolvedReference: Int?
        var allOf: [Int] = []
        var anyOf: [Int] = []
        var oneOf: [Int] = []
        var not: Int?
        var ifSchema: Int?
        var thenSchema: Int?
        var elseSchema: Int?
        /// The schema's `x-message`: its violations (and those of a `not` of it), in words.
        var failureMessage: String?
    }

    /// What one validation collects.
    struct Walk {
        let limit: Int
        let ignoredLimit: Int
        let unknownProperties: UnknownProperties?
        var violations: [Violation] = []
        var ignored: [JSONPointer] = []

        /// `unknownProperties` nil: a trial inside `anyOf`, `not`, `if`…,
        /// where members are neither listed nor refused.
        init(limit: Int, ignoredLimit: Int = 0, unknownProperties: UnknownProperties?) {
            self.limit = limit
            self.ignoredLimit = ignoredLimit
            self.unknownProperties = unknownProperties
        }

        var isFull: Bool { violations.count >= limit }
    }
}
