/// The buyer's identifiers as the source sent them: raw, not normalized.
public struct CustomerIdentifiers: Sendable, Equatable {
    public private(set) var values: [CustomerField: PersonalData]

    public init(_ values: [CustomerField: PersonalData] = [:]) {
        self.values = values
    }

    /// The raw value of `field`, or `nil` when the source sent none.
    public subscript(field: CustomerField) -> PersonalData? {
        get { values[field] }
        set { values[field] = newValue }
    }

    /// Sets `field` when `value` is non-blank and the field is still empty: the
    /// first source path with a value wins, later fallbacks never overwrite it.
    public mutating func fill(_ field: CustomerField, with value: String?) {
        guard values[field] == nil, let value, !value.isBlank else { return }
        values[field] = PersonalData(value)
    }

    /// True when the source sent no identifier at all.
    public var isEmpty: Bool { values.isEmpty }
}
