import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A certificate authority and a server certificate it signed, made in process at test time
/// (nothing checked in, nothing to expire): the leaf names `localhost` and 127.0.0.1, so a
/// client that trusts only `authorityPEM` verifies the server with the hostname check on.
public struct TestCertificate: Sendable {
    /// The authority's certificate: what a verifying client trusts.
    public let authorityPEM: String
    /// The server's certificate followed by the authority's: a chain file, as `--tls-cert` takes.
    public let chainPEM: String
    /// The server's private key (PKCS#8 PEM), as `--tls-key` takes.
    public let keyPEM: String

    public init(hostnames: [String] = ["localhost"], addresses: [String] = ["127.0.0.1"]) throws {
        let now = Date()
        let validity = (now.addingTimeInterval(-3600), now.addingTimeInterval(24 * 3600))
        let authorityKey = P256.Signing.PrivateKey()
        let authorityName = try DistinguishedName { CommonName("Arbiter test authority") }
        let authority = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(authorityKey.publicKey),
            notValidBefore: validity.0,
            notValidAfter: validity.1,
            issuer: authorityName,
            subject: authorityName,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(authorityKey)
        )
        let serverKey = P256.Signing.PrivateKey()
        let names: [GeneralName] =
            hostnames.map { .dnsName($0) } + addresses.compactMap { Self.ipAddress($0).map { .ipAddress(ASN1OctetString(contentBytes: $0[...])) } }
        let server = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(serverKey.publicKey),
            notValidBefore: validity.0,
            notValidAfter: validity.1,
            issuer: authorityName,
            subject: try DistinguishedName { CommonName(hostnames.first ?? "localhost") },
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(authorityKey)
        )
        self.authorityPEM = try authority.serializeAsPEM().pemString
        self.chainPEM = try server.serializeAsPEM().pemString + "\n" + self.authorityPEM
        self.keyPEM = serverKey.pemRepresentation
    }

    /// Writes the chain, key and authority into a new temporary directory (`--tls-cert`,
    /// `--tls-key`, a client's `--ca-file`).
    public func write() throws -> Files {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files = Files(
            directory: directory.path,
            certificate: directory.appendingPathComponent("cert.pem").path,
            key: directory.appendingPathComponent("key.pem").path,
            authority: directory.appendingPathComponent("ca.pem").path
        )
        try Data(self.chainPEM.utf8).write(to: URL(fileURLWithPath: files.certificate))
        try Data(self.keyPEM.utf8).write(to: URL(fileURLWithPath: files.key))
        try Data(self.authorityPEM.utf8).write(to: URL(fileURLWithPath: files.authority))
        return files
    }

    public struct Files: Sendable {
        public let directory: String
        public let certificate: String
        public let key: String
        public let authority: String

        public func remove() { try? FileManager.default.removeItem(atPath: self.directory) }
    }

    /// A client configuration that trusts only this authority, hostname check on.
    public func clientConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(self.authorityPEM.utf8), format: .pem)])
        configuration.certificateVerification = .fullVerification
        return configuration
    }

    private static func ipAddress(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".").compactMap { UInt8($0) }
        return parts.count == 4 ? parts : nil
    }
}
