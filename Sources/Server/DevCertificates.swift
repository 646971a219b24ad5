import Crypto
import Foundation
import SwiftASN1
import X509

/// A development certificate authority and a server certificate it signed, for `localhost`
/// and `127.0.0.1`. Created on first run in `state/tls/` so `make run` serves TLS with no set-up;
/// `supportbot chat --ca state/tls/ca.pem` then verifies the server for real.
public struct DevCertificates: Sendable {
    public var caCertificatePEM: String
    public var serverCertificatePEM: String
    public var serverPrivateKeyPEM: String
    /// SHA-256 of the server certificate's DER, as colon-separated upper-case hex.
    public var serverFingerprint: String

    /// Mints a fresh CA and server certificate valid from an hour ago for `validity`.
    public static func generate(
        hostnames: [String] = ["localhost"], ipAddresses: [[UInt8]] = [[127, 0, 0, 1], [UInt8](repeating: 0, count: 15) + [1]],
        validity: TimeInterval = 825 * 86_400
    ) throws -> DevCertificates {
        let now = Date()
        let notBefore = now.addingTimeInterval(-3_600)
        let notAfter = now.addingTimeInterval(validity)

        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("SupportBot development")
            CommonName("SupportBot dev CA")
        }
        let caCertificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey)
        )

        let serverKey = P256.Signing.PrivateKey()
        let serverName = try DistinguishedName {
            OrganizationName("SupportBot development")
            CommonName(hostnames.first ?? "localhost")
        }
        var names = hostnames.map { GeneralName.dnsName($0) }
        names += ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) }
        let serverCertificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: serverName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(caKey)
        )

        var serializer = DER.Serializer()
        try serializer.serialize(serverCertificate)
        return DevCertificates(
            caCertificatePEM: try caCertificate.serializeAsPEM().pemString,
            serverCertificatePEM: try serverCertificate.serializeAsPEM().pemString,
            serverPrivateKeyPEM: serverKey.pemRepresentation,
            serverFingerprint: Self.fingerprint(der: serializer.serializedBytes)
        )
    }

    /// Colon-separated SHA-256 of DER bytes, the form `openssl x509 -fingerprint -sha256` prints.
    public static func fingerprint(der: [UInt8]) -> String {
        SHA256.hash(data: der).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    /// Fingerprint of the first certificate in a PEM chain.
    public static func fingerprint(pem: String) throws -> String {
        let certificate = try Certificate(pemEncoded: pem)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return fingerprint(der: serializer.serializedBytes)
    }

    /// Files of a development certificate set inside a directory such as `state/tls/`.
    public struct Files: Sendable {
        public var directory: URL
        public var caCertificate: URL { directory.appendingPathComponent("ca.pem") }
        public var serverCertificate: URL { directory.appendingPathComponent("server.pem") }
        public var serverPrivateKey: URL { directory.appendingPathComponent("server.key") }

        public init(directory: URL) { self.directory = directory }
    }

    /// Loads the set from `directory`, or creates it there when absent. Returns it and whether
    /// it was created now. Keys are written with mode 0600.
    public static func loadOrCreate(in directory: URL) throws -> (DevCertificates, created: Bool) {
        let files = Files(directory: directory)
        let manager = FileManager.default
        if manager.fileExists(atPath: files.serverCertificate.path),
            manager.fileExists(atPath: files.serverPrivateKey.path)
        {
            do {
                let serverPEM = try String(contentsOf: files.serverCertificate, encoding: .utf8)
                let keyPEM = try String(contentsOf: files.serverPrivateKey, encoding: .utf8)
                let caPEM = (try? String(contentsOf: files.caCertificate, encoding: .utf8)) ?? ""
                let certificates = DevCertificates(
                    caCertificatePEM: caPEM, serverCertificatePEM: serverPEM, serverPrivateKeyPEM: keyPEM,
                    serverFingerprint: try fingerprint(pem: serverPEM)
                )
                return (certificates, false)
            } catch {
                throw ServerError(
                    .tlsMaterial,
                    "cannot read the development certificate in \(directory.path): \(error). Delete that folder to create a new one."
                )
            }
        }
        let certificates: DevCertificates
        do {
            certificates = try generate()
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(certificates.caCertificatePEM.utf8).write(to: files.caCertificate, options: .atomic)
            try Data(certificates.serverCertificatePEM.utf8).write(to: files.serverCertificate, options: .atomic)
            try Data(certificates.serverPrivateKeyPEM.utf8).write(to: files.serverPrivateKey, options: .atomic)
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: files.serverPrivateKey.path)
        } catch {
            throw ServerError(.certificateGeneration, "cannot create a development certificate in \(directory.path): \(error)")
        }
        return (certificates, true)
    }
}
