import NIOSSL

extension TLSListenerConfig {
    /// The listeners' TLS configuration: the PEM chain and key, TLS 1.2 at
    /// least, HTTP/1.1 over ALPN.
    /// - Throws: `TLSFileError` naming the key whose file cannot be used.
    public func serverConfiguration() throws(TLSFileError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
            throw TLSFileError(ConfigProblem("server.tls.certificate", "cannot read a PEM certificate chain from \(certificate)"))
        }
        guard !chain.isEmpty else {
            throw TLSFileError(ConfigProblem("server.tls.certificate", "\(certificate) holds no PEM certificate"))
        }
        let privateKey: NIOSSLPrivateKey
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw TLSFileError(ConfigProblem("server.tls.key", "cannot read an unencrypted PEM private key from \(key)"))
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        do { _ = try NIOSSLContext(configuration: configuration) } catch {
            throw TLSFileError(ConfigProblem("server.tls.key", "does not belong to the certificate in \(certificate)"))
        }
        return configuration
    }
}

/// A TLS certificate or key file that cannot be used, at its key path.
public struct TLSFileError: Error, Sendable, CustomStringConvertible {
    public let problem: ConfigProblem

    public init(_ problem: ConfigProblem) { self.problem = problem }

    public var description: String { problem.description }
}
