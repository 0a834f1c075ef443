extension Array {
    /// Empties the array and keeps its storage, without a call when it is already empty:
    /// `removeAll(keepingCapacity: true)` goes through `replaceSubrange` even then, and the
    /// step's per-projectile and per-ship scratch lists are often empty (3.7 % fewer of a tick's
    /// instructions at 1,000 players, `instruction-counts` world-step-expanse-1000-players).
    @inline(__always) mutating func clear() {
        if !isEmpty { removeAll(keepingCapacity: true) }
    }
}
