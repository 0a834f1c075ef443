/// What arbiter-bot drives: bots on SwiftNIO sessions (`BotFleet`) or on the lean transport
/// (`LeanFleet`), both summed up by the same `FleetSample`s.
public protocol FleetDriver: AnyObject, Sendable {
    var configuration: FleetConfiguration { get }
    /// Schedules every bot's connect, `ramp` per second.
    func start() throws
    /// Everything so far; starts a new interval for the interval histograms.
    func sample() async -> FleetSample
    /// Stops every bot (close 1000) and waits a few seconds at most for the closes to finish.
    func stop() async
}

extension BotFleet: FleetDriver {
    public func stop() async { await stop(timeout: .seconds(3)) }
}
