import BridgeCore

/// An incoming webhook as the HTTP layer received it: headers and the raw
/// body bytes, never re-serialized.
public struct WebhookRequest: Sendable {
    public let headers: HeaderFields
    public let body: [UInt8]

    public init(headers: HeaderFields, body: [UInt8]) {
        self.headers = headers
        self.body = body
    }
}

/// HTTP header fields with case-insensitive lookup.
public struct HeaderFields: Sendable {
    private var fields: [(name: String, value: String)]

    /// - Parameter pairs: name/value pairs in arrival order; names in any case.
    public init(_ pairs: [(String, String)] = []) {
        self.fields = pairs.map { (name: $0.0.lowercased(), value: $0.1) }
    }

    /// The first value of `name` (any case), or `nil`.
    public subscript(name: String) -> String? {
        let lower = name.lowercased()
        return fields.first { $0.name == lower }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        let lower = name.lowercased()
        return fields.filter { $0.name == lower }.map(\.value)
    }

    /// Appends a field.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name.lowercased(), value: value))
    }
}
