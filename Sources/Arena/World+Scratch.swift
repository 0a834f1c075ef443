extension World {
    /// Reusable buffers for the step's inner loops, so a tick allocates nothing once they
    /// reached their working size. A phase takes them out of the world (so it can mutate the
    /// world while filling them) and puts them back when done.
    struct Scratch: Sendable {
        var walls: [WallRect] = []
        var ships: [Int32] = []
        var removed: [EntityID] = []

        func restore(into world: inout World) {
            world.scratch = self
        }
    }

    mutating func takeScratch() -> Scratch {
        let taken = scratch
        scratch = Scratch()
        return taken
    }
}
