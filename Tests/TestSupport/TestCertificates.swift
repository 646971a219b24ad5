import Server

/// Certificates minted at runtime for the tests (never committed, so they never expire):
/// one development CA and a server certificate for localhost/127.0.0.1, shared by a test process.
public enum TestCertificates {
    public static let shared: DevCertificates = {
        do {
            return try DevCertificates.generate(validity: 86_400)
        } catch {
            preconditionFailure("cannot mint test certificates: \(error)")
        }
    }()

    public static var serverTLS: ServerConfiguration.TLS {
        .init(certificateChainPEM: shared.serverCertificatePEM, privateKeyPEM: shared.serverPrivateKeyPEM)
    }

    /// Client options that verify the server against the test CA.
    public static var clientTLS: ClientTLSOptions {
        ClientTLSOptions(trust: .certificateAuthority(pem: shared.caCertificatePEM), serverHostname: "localhost")
    }
}
