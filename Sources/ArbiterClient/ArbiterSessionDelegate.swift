import ArbiterProtocol

/// What a session tells the code that plays (a bot's brain, a test). Every call is on the
/// session's event loop. All methods have empty defaults.
public protocol ArbiterSessionDelegate: AnyObject {
    /// The server accepted the Hello (also after each resume; `welcome.resumed` tells which).
    func session(_ session: ArbiterSession, didJoin welcome: Welcome)
    func session(_ session: ArbiterSession, didReceive mapInfo: MapInfo)
    /// A decoded Snapshot (already applied to the delta baseline).
    func session(_ session: ArbiterSession, didReceive snapshot: Snapshot)
    /// Fill in the intentions for the Input about to be sent; `seq` is already set.
    func session(_ session: ArbiterSession, willSend input: inout Input)
    func session(_ session: ArbiterSession, wasKicked kick: Kick)
    /// The connection ended; `willReconnect` says whether the session tries to resume.
    func session(_ session: ArbiterSession, didDisconnect info: WebSocketCloseInfo, willReconnect: Bool)
    /// A connect attempt failed.
    func session(_ session: ArbiterSession, connectFailed error: any Error, willRetry: Bool)
}

extension ArbiterSessionDelegate {
    public func session(_ session: ArbiterSession, didJoin welcome: Welcome) {}
    public func session(_ session: ArbiterSession, didReceive mapInfo: MapInfo) {}
    public func session(_ session: ArbiterSession, didReceive snapshot: Snapshot) {}
    public func session(_ session: ArbiterSession, willSend input: inout Input) {}
    public func session(_ session: ArbiterSession, wasKicked kick: Kick) {}
    public func session(_ session: ArbiterSession, didDisconnect info: WebSocketCloseInfo, willReconnect: Bool) {}
    public func session(_ session: ArbiterSession, connectFailed error: any Error, willRetry: Bool) {}
}
