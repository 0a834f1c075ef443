import NIOCore
import NIOSSL

/// How `wss://` connections check the server: one `NIOSSLContext`, made once and shared by every
/// connection of a configuration (a thousand bots load the trust store once, not a thousand times).
///
/// ``verifying(caFile:)`` is the default: the server's certificate must chain to a trusted
/// authority (the system's, or only those in `caFile`) and name the host connected to.
/// ``insecure()`` checks nothing; it is for a development server with a self-signed
/// certificate, and still encrypts.
public struct WebSocketTLS: Sendable {
    public let context: NIOSSLContext
    /// False for ``insecure()``: says so in logs and summaries.
    public let verifiesServer: Bool

    public init(configuration: TLSConfiguration) throws {
        self.context = try NIOSSLContext(configuration: configuration)
        self.verifiesServer = configuration.certificateVerification != .none
    }

    /// Full verification against the system's trust roots, or only the PEM certificates in
    /// `caFile` (a private authority, a self-signed server certificate).
    public static func verifying(caFile: String? = nil) throws -> WebSocketTLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        if let caFile {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw WebSocketClientError.tlsFailed.with("cannot read PEM certificates from \(caFile): \(error)")
            }
            guard !certificates.isEmpty else {
                throw WebSocketClientError.tlsFailed.with("\(caFile) holds no PEM certificate")
            }
            configuration.trustRoots = .certificates(certificates)
        }
        return try WebSocketTLS(configuration: configuration)
    }

    /// Encrypts without checking the server's certificate at all: anyone on the path can pose as
    /// the server. Only for a development server with a self-signed certificate.
    public static func insecure() throws -> WebSocketTLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return try WebSocketTLS(configuration: configuration)
    }

    /// ``verifying(caFile:)`` with the system's roots, made on first use and shared.
    static let systemDefault = Result { try WebSocketTLS.verifying() }

    /// The client handler for one connection to `host`: SNI and the certificate's name check use
    /// the host name; for an IP literal (never sent as SNI) the check uses the connected address.
    func makeHandler(host: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: self.context, serverHostname: isAddress ? nil : host)
    }

    /// BoringSSL's error stack in the words a person acts on; anything else as NIOSSL says it.
    static func explain(_ error: any Error, url: WebSocketURL) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "\(url): the server's certificate is not signed by an authority this client trusts "
                + "(trust its authority's certificate; for a self-signed development server, skip verification)"
        }
        if text.contains("failedToValidateHostname") {
            return "\(url): the server's certificate is not for \(url.host)"
        }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("eofDuringHandshake") {
            return "\(url): the server did not answer TLS (a plain ws:// server?)"
        }
        return "\(url): \(text)"
    }
}
