import BridgeCore

/// The two forms a prepared identifier may take in a request, read the same
/// way by every destination.
extension PreparedIdentifiers {
    /// The digest of `field` when the platform's rules hash it, and only when
    /// it is 64 lowercase hex: the one form a hashed key may carry on the wire.
    func digest(_ field: CustomerField) -> String? {
        Self.digest(self[field])
    }

    /// The digest of a browser field the rules hash (Reddit's IP address).
    func digest(client field: ClientField) -> String? {
        Self.digest(self[client: field])
    }

    /// The non-empty value of `field` when the platform's rules keep it in clear.
    func clearValue(_ field: CustomerField) -> String? {
        Self.clear(self[field])
    }

    /// The non-empty value of a browser field the rules keep in clear (IP
    /// address, user agent, click ids).
    func clearValue(client field: ClientField) -> String? {
        Self.clear(self[client: field])
    }

    private static func digest(_ value: PreparedValue?) -> String? {
        guard let value, value.isHashed, HexText.isSHA256(value.wireValue) else { return nil }
        return value.wireValue
    }

    private static func clear(_ value: PreparedValue?) -> String? {
        guard let value, !value.isHashed, !value.wireValue.isEmpty else { return nil }
        return value.wireValue
    }
}
