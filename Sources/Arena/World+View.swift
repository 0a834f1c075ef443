extension World {
    /// What a reader of a finished tick needs of the world, and no more: the entities, their
    /// slots and the view grid. A server publishes this with each frame instead of the world.
    ///
    /// A published copy shares its arrays with the world until the next step writes them, and
    /// every frame still held (each session keeps the one its client last got: one to three per
    /// room) keeps its copy. Holding the whole world kept the step's own state alive with it:
    /// the ship trails for lag compensation (256 bytes per ship), the ship grid, the scratch
    /// buffers and the pending inputs, copied again by the next step that wrote them.
    public struct View: Sendable {
        public let tick: UInt32
        public let tuning: Tuning
        /// Dense entity arrays, as in the world.
        public let players: [Player]
        public let projectiles: [Projectile]
        public let pickups: [Pickup]
        let slots: SlotTable
        @usableFromInline let interestGrid: SpatialGrid

        /// Index into `players`.
        public func playerIndex(of id: EntityID) -> Int? { slots.index(of: id, kind: .player) }

        /// The entities in the rectangle, as `World.forEachEntity`. Inlinable, so that a caller's
        /// walk is one loop with its body in it, not a closure call per entity.
        @inlinable public func forEachEntity(
            minX: Int32, minY: Int32, maxX: Int32, maxY: Int32, _ body: (EntityID, EntityKind, Int) throws -> Void
        ) rethrows {
            try interestGrid.forEachEntity(minX: minX, minY: minY, maxX: maxX, maxY: maxY, body)
        }
    }

    /// This tick's entities, slots and view grid (shared with the world until it next writes them).
    public var view: View {
        View(tick: tick, tuning: tuning, players: players, projectiles: projectiles, pickups: pickups, slots: slots,
             interestGrid: interestGrid)
    }
}
