/// Hands out entity ids and maps them to the dense array that holds each entity.
///
/// Players, projectiles and pickups share one slot space, so every id names one entity across
/// kinds (the wire's entity set is keyed by slot). Freed slots are reused oldest first, which
/// keeps generations from cycling quickly; a reused slot's generation increments (skipping 0,
/// so `EntityID.none` stays unused).
struct SlotTable: Sendable, Hashable {
    private(set) var generations: [UInt8] = []
    private(set) var kinds: [EntityKind?] = []
    /// Index into the kind's dense array, valid while the slot is live.
    private(set) var denseIndex: [Int32] = []
    /// Freed slots in FIFO order: `free[freeHead...]` are available.
    private var free: [Int32] = []
    private var freeHead = 0

    var liveCount: Int { kinds.count - (free.count - freeHead) }
    var capacity: Int { kinds.count }

    mutating func allocate(kind: EntityKind, denseIndex index: Int) -> EntityID? {
        let slot: Int
        if freeHead < free.count {
            slot = Int(free[freeHead])
            freeHead += 1
            if freeHead == free.count {
                free.removeAll(keepingCapacity: true)
                freeHead = 0
            }
            let next = generations[slot] &+ 1
            generations[slot] = next == 0 ? 1 : next
        } else {
            guard kinds.count < EntityID.maxSlots else { return nil }
            slot = kinds.count
            generations.append(1)
            kinds.append(nil)
            denseIndex.append(-1)
        }
        kinds[slot] = kind
        denseIndex[slot] = Int32(index)
        return EntityID(slot: slot, generation: generations[slot])
    }

    mutating func release(_ id: EntityID) {
        guard isLive(id) else { return }
        kinds[id.slot] = nil
        denseIndex[id.slot] = -1
        if freeHead > 0 && freeHead * 2 >= free.count {
            // Compact the consumed prefix now and then, so the queue does not grow forever.
            free.removeFirst(freeHead)
            freeHead = 0
        }
        free.append(Int32(id.slot))
    }

    mutating func move(_ id: EntityID, toDenseIndex index: Int) {
        denseIndex[id.slot] = Int32(index)
    }

    func isLive(_ id: EntityID) -> Bool {
        id.slot < kinds.count && kinds[id.slot] != nil && generations[id.slot] == id.generation
    }

    func kind(of id: EntityID) -> EntityKind? {
        isLive(id) ? kinds[id.slot] : nil
    }

    /// The dense index of a live entity of the given kind.
    func index(of id: EntityID, kind: EntityKind) -> Int? {
        guard isLive(id), kinds[id.slot] == kind else { return nil }
        return Int(denseIndex[id.slot])
    }

    func hash(into hasher: inout StateHasher) {
        hasher.combine(kinds.count)
        for slot in kinds.indices {
            hasher.combine(generations[slot])
            hasher.combine(kinds[slot]?.rawValue ?? 0)
            hasher.combine(denseIndex[slot])
        }
        hasher.combine(free.count - freeHead)
        for i in freeHead..<free.count { hasher.combine(free[i]) }
    }
}
