extension Array {
    /// Empties the array and keeps its storage, without a call when it is already empty:
    /// `removeAll(keepingCapacity: true)` always goes through `replaceSubrange`, and the step's
    /// per-projectile and per-ship scratch lists are nearly always empty (7 % of a tick's
    /// instructions at 1,000 players, `instruction-counts` world-step-expanse-1000-players).
    @inline(__always) mutating func clear() {
        if !isEmpty { removeAll(keepingCapacity: true) }
    }
}
