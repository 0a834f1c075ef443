import Foundation
import NIOCore
import NIOSSL

/// The game port's TLS: one `NIOSSLContext`, made once at start from `--tls-cert` (PEM, the
/// server's certificate first, then any intermediates) and `--tls-key` (PEM). Every accepted
/// connection then gets a `NIOSSLServerHandler` at the front of its pipeline, so HTTP, the
/// browser client and the game socket are all served over it on the one port.
///
/// Loading happens before the port is bound, so a wrong file stops the server with one line that
/// names the flag and the file, not BoringSSL's error stack at the first connection.
enum ServerTLS {
    /// `closeTimeout` bounds the wait for the peer's close_notify after ours, as it bounds the
    /// wait for a WebSocket close: a peer that never answers cannot hold its connection open.
    static func context(certificateFile: String, keyFile: String, closeTimeout: TimeAmount) throws(ConfigurationError) -> NIOSSLContext {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(try self.read(certificateFile, flag: "--tls-cert"))
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError("--tls-cert \(certificateFile) holds no PEM certificate (-----BEGIN CERTIFICATE-----): \(error)")
        }
        guard !certificates.isEmpty else {
            throw ConfigurationError("--tls-cert \(certificateFile) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: try self.read(keyFile, flag: "--tls-key"), format: .pem)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError("--tls-key \(keyFile) is not a PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        // HTTP/1.1 only: the game socket is an HTTP/1.1 upgrade and there is no HTTP/2 server.
        configuration.applicationProtocols = ["http/1.1"]
        configuration.shutdownTimeout = closeTimeout
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ConfigurationError("--tls-key \(keyFile) does not match the certificate in --tls-cert \(certificateFile) (\(error))")
        }
    }

    private static func read(_ path: String, flag: String) throws(ConfigurationError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError("\(flag) \(path): no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(flag) \(path): cannot be read (permissions?)")
        }
        return Array(data)
    }
}
