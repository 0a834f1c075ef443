/// Admission of new connections against a global cap and a per-address cap. Pure: handles are
/// whatever the caller closes (channels in the server, integers in tests).
///
/// At a cap, a newcomer takes the place of the oldest connection that has not yet sent a
/// complete request (an idle or slowloris socket) — from its own address when that address is
/// at its cap, else from anyone; only when there is none is the newcomer refused. So a flood of
/// silent sockets cannot lock out `/healthz` or new players: their requests arrive within a
/// round trip, the flood's never do. Connections serving a request or upgraded to a WebSocket
/// are never evicted.
struct ConnectionTable<Handle> {
    enum Admission {
        case admitted(id: UInt64, evicting: Handle?)
        case refused(Reason)
    }

    enum Reason: String {
        case global
        case perAddress = "per_address"
    }

    fileprivate struct Entry {
        let address: String
        let handle: Handle
        var evictable: Bool
    }

    let maxConnections: Int
    let maxPerAddress: Int
    private var entries: [UInt64: Entry] = [:]
    private var perAddress: [String: Int] = [:]
    private var nextID: UInt64 = 0

    init(maxConnections: Int, maxPerAddress: Int) {
        self.maxConnections = maxConnections
        self.maxPerAddress = maxPerAddress
    }

    var count: Int { self.entries.count }

    func count(address: String) -> Int { self.perAddress[address, default: 0] }

    /// `limitedPerAddress` false: only the global cap applies (loopback, see `TransportSettings`).
    mutating func admit(address: String, handle: Handle, limitedPerAddress: Bool = true) -> Admission {
        var evicted: Handle?
        let addressFull = limitedPerAddress && self.count(address: address) >= self.maxPerAddress
        if addressFull || self.entries.count >= self.maxConnections {
            guard let victim = self.oldestEvictable(from: addressFull ? address : nil) else {
                return .refused(addressFull ? .perAddress : .global)
            }
            evicted = self.remove(id: victim)
        }
        self.nextID += 1
        self.entries[self.nextID] = Entry(address: address, handle: handle, evictable: true)
        self.perAddress[address, default: 0] += 1
        return .admitted(id: self.nextID, evicting: evicted)
    }

    /// The connection sent a complete request: it is in use, not idle.
    mutating func markInUse(id: UInt64) {
        self.entries[id]?.evictable = false
    }

    /// The connection closed (no-op if it was evicted before).
    @discardableResult
    mutating func remove(id: UInt64) -> Handle? {
        guard let entry = self.entries.removeValue(forKey: id) else { return nil }
        let left = self.perAddress[entry.address, default: 1] - 1
        self.perAddress[entry.address] = left == 0 ? nil : left
        return entry.handle
    }

    /// Linear, and only at a cap: a few thousand entries scan in microseconds.
    private func oldestEvictable(from address: String?) -> UInt64? {
        var oldest: UInt64?
        for (id, entry) in self.entries where entry.evictable && (address == nil || entry.address == address) {
            if oldest.map({ id < $0 }) ?? true { oldest = id }
        }
        return oldest
    }
}

extension ConnectionTable: Sendable where Handle: Sendable {}
extension ConnectionTable.Entry: Sendable where Handle: Sendable {}
extension ConnectionTable.Admission: Sendable where Handle: Sendable {}
