import NIOCore

/// `/echo`: returns every message unchanged, over the same stack as the game socket, so the
/// Autobahn suite can check the transport. Off unless `--echo-endpoint` is given.
struct EchoService: WebSocketService {
    /// Autobahn's cases 9.* send messages of up to 16 MiB.
    var maxMessageSize: Int { 16 * 1024 * 1024 }

    func accept(_ connection: ServerWebSocket) {
        connection.onMessage = { [unowned connection] message in
            connection.handler?.enqueue(opcode: .binary, data: message)
        }
        connection.onText = { [unowned connection] message in
            connection.handler?.enqueue(opcode: .text, data: message)
        }
    }

    /// An echo must not drop anything: it pauses reading instead.
    var pausesReadsWhileUnwritable: Bool { true }

    /// Autobahn checks every frame the server sends; unsolicited pings would be noise there.
    var probesReading: Bool { false }
}
