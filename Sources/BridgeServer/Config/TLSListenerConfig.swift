import BridgeCore

/// `server.tls:` — native TLS (1.2 minimum) on the listeners, from PEM files.
public struct TLSListenerConfig: Sendable {
    /// PEM certificate chain: the server's certificate first, then intermediates.
    public var certificate: String
    /// PEM private key of the certificate.
    public var key: String

    public init(certificate: String, key: String) {
        self.certificate = certificate
        self.key = key
    }

    /// `nil` when a file is not named (a problem then).
    init?(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        let certificate = reader.string("certificate", required: true, problems: &problems)
        let key = reader.string("key", required: true, problems: &problems)
        reader.rejectUnknown(problems: &problems)
        guard let certificate, let key else { return nil }
        self.init(certificate: certificate, key: key)
    }
}
