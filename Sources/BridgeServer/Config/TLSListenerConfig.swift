import BridgeCore

/// `server.tls:` — native TLS (1.2 minimum) on the listeners, from PEM files.
public struct TLSListenerConfig: Sendable, Decodable {
    /// PEM certificate chain: the server's certificate first, then intermediates.
    public var certificate: String
    /// PEM private key of the certificate.
    public var key: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case certificate, key
    }

    public init(certificate: String, key: String) {
        self.certificate = certificate
        self.key = key
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        certificate = try c.decode(String.self, forKey: .certificate)
        key = try c.decode(String.self, forKey: .key)
    }
}
