import Crypto
import Foundation
import Server
import SwiftASN1
import X509

/// Certificates minted at runtime for the tests (never committed, so they never expire):
/// one development CA and a server certificate for localhost/127.0.0.1, shared by a test process;
/// and for client-certificate tests, a client CA with a client certificate it signed, plus a
/// client certificate signed by a CA the server does not trust.
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

    /// The CA a server with client verification trusts (`ServerConfiguration.TLS.clientCAPEM`).
    public static let clientCA: ClientCertificateAuthority = mint("SupportBot test client CA")
    /// A CA the server does not trust.
    public static let untrustedClientCA: ClientCertificateAuthority = mint("SupportBot untrusted client CA")

    /// Client options that present a certificate issued by `authority`.
    public static func clientTLS(presenting authority: ClientCertificateAuthority) -> ClientTLSOptions {
        var options = clientTLS
        options.clientCertificatePEM = authority.clientCertificatePEM
        options.clientPrivateKeyPEM = authority.clientPrivateKeyPEM
        return options
    }

    private static func mint(_ name: String) -> ClientCertificateAuthority {
        do {
            return try ClientCertificateAuthority(name: name)
        } catch {
            preconditionFailure("cannot mint test client certificates: \(error)")
        }
    }
}

/// A certificate authority and one client certificate (`CN=test-client`, clientAuth) it signed.
public struct ClientCertificateAuthority: Sendable {
    public let caCertificatePEM: String
    public let clientCertificatePEM: String
    public let clientPrivateKeyPEM: String

    init(name: String) throws {
        let notBefore = Date().addingTimeInterval(-3_600)
        let notAfter = Date().addingTimeInterval(86_400)
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName(name) }
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey)
        )
        let clientKey = P256.Signing.PrivateKey()
        let client = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(clientKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName,
            subject: try DistinguishedName { CommonName("test-client") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
            },
            issuerPrivateKey: .init(caKey)
        )
        caCertificatePEM = try ca.serializeAsPEM().pemString
        clientCertificatePEM = try client.serializeAsPEM().pemString
        clientPrivateKeyPEM = clientKey.pemRepresentation
    }
}
