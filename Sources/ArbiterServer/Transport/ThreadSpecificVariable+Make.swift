import NIOPosix

extension ThreadSpecificVariable {
    /// The calling thread's value, made on first use: how per-event-loop scratch (one thread
    /// per loop) is found without a lock or a table keyed by loop.
    public func value(orMake make: () -> Value) -> Value {
        if let existing = currentValue { return existing }
        let made = make()
        currentValue = made
        return made
    }
}
