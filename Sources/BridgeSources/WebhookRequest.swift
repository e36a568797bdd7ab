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
        self.fields = pairs.map { (name: HeaderFields.lower($0.0), value: $0.1) }
    }

    /// The first value of `name` (any case), or `nil`.
    public subscript(name: String) -> String? {
        let lower = HeaderFields.lower(name)
        return fields.first { $0.name == lower }?.value
    }

    /// `name` in lower case, without allocating when it already is (HTTP/2
    /// and Hummingbird deliver lower-case names).
    static func lower(_ name: String) -> String {
        name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? name.lowercased() : name
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
