/// What a client saw of the netcode, summed over bots and loops: its own ship's corrections
/// (`OwnShipPredictor`: the prediction moved by more than 2 units) over the seconds it was
/// alive, and how other ships froze, held or jumped (`RemoteShipWatch`) out of the steps looked at.
public struct NetcodeCounts: Sendable, Equatable {
    public var ownCorrections = 0
    /// Of `ownCorrections`, those with another ship close enough to have pushed the own ship
    /// (`OwnShipPredictor.touchesAnotherShip`) in this snapshot or the one before: contacts, which
    /// no client predicts. The rest happened in free movement.
    public var ownCorrectionsInContact = 0
    /// Seconds the own ship was alive, between snapshots that both showed it alive.
    public var aliveSeconds = 0.0
    public var remoteFreezes = 0
    public var remoteHolds = 0
    public var remoteJumps = 0
    public var remoteSteps = 0

    public init() {}

    public static func += (lhs: inout NetcodeCounts, rhs: NetcodeCounts) {
        lhs.ownCorrections += rhs.ownCorrections
        lhs.ownCorrectionsInContact += rhs.ownCorrectionsInContact
        lhs.aliveSeconds += rhs.aliveSeconds
        lhs.remoteFreezes += rhs.remoteFreezes
        lhs.remoteHolds += rhs.remoteHolds
        lhs.remoteJumps += rhs.remoteJumps
        lhs.remoteSteps += rhs.remoteSteps
    }
}
