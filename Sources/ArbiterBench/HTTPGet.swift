import AsyncHTTPClient
import NIOCore

/// One HTTP GET with a deadline, for scraping the server's `/metrics`: async-http-client's shared
/// client, waited on from the calling thread (a plain thread, never an event loop).
enum HTTPGet {
    /// The body of a 200 answer; nil on a connection error, another status, or after `timeout`.
    static func body(host: String = "127.0.0.1", port: Int, path: String, timeout: TimeAmount = .seconds(5)) -> String? {
        let url = "http://\(host):\(port)\(path)"
        guard let response = try? HTTPClient.shared.get(url: url, deadline: .now() + timeout).wait(),
            response.status == .ok
        else { return nil }
        return response.body.map { String(buffer: $0) } ?? ""
    }
}
