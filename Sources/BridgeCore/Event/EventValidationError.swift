/// Why a canonical event was refused: each violation names the JSON pointer of
/// the offending member. Messages never contain the offending value.
public struct EventValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let violations: [JSONSchema.Violation]

    public init(_ violations: [JSONSchema.Violation]) { self.violations = violations }

    public init(pointer: JSONPointer, message: String) {
        self.violations = [JSONSchema.Violation(pointer: pointer, message: message)]
    }

    public var description: String { violations.map(\.description).joined(separator: "; ") }

    /// The pointer of the first violation.
    public var pointer: JSONPointer { violations.first?.pointer ?? .root }
}
