/// A least-recently-used cache whose entries also expire after a time to
/// live. Pure: time is a parameter. O(1) lookups, inserts and evictions (a
/// dictionary of slots plus an intrusive doubly linked list over an array).
public struct LRUCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Slot: Sendable {
        var key: Key
        var value: Value
        var expires: Timestamp
        var newer: Int?
        var older: Int?
    }

    /// Most entries kept; the least recently used goes first.
    public let capacity: Int
    /// How long an entry stays valid after it was stored.
    public let timeToLive: Duration
    private var index: [Key: Int] = [:]
    private var slots: [Slot] = []
    private var free: [Int] = []
    private var newest: Int?
    private var oldest: Int?

    /// - Parameters:
    ///   - capacity: at least 1.
    public init(capacity: Int, timeToLive: Duration) {
        self.capacity = max(1, capacity)
        self.timeToLive = timeToLive
    }

    /// How many entries are held (expired ones included until touched or evicted).
    public var count: Int { index.count }

    /// The value of `key` if present and not expired at `now`; marks it recently used.
    public mutating func value(for key: Key, now: Timestamp) -> Value? {
        guard let slot = index[key] else { return nil }
        guard slots[slot].expires > now else {
            remove(slot)
            return nil
        }
        moveToFront(slot)
        return slots[slot].value
    }

    /// Stores `value` for `key` until `now + timeToLive`, evicting the least
    /// recently used entry when full.
    public mutating func insert(_ value: Value, for key: Key, now: Timestamp) {
        let expires = now.advanced(by: timeToLive)
        if let slot = index[key] {
            slots[slot].value = value
            slots[slot].expires = expires
            moveToFront(slot)
            return
        }
        if index.count >= capacity, let victim = oldest { remove(victim) }
        let entry = Slot(key: key, value: value, expires: expires, newer: nil, older: newest)
        let slot: Int
        if let reused = free.popLast() {
            slots[reused] = entry
            slot = reused
        } else {
            slots.append(entry)
            slot = slots.count - 1
        }
        if let previous = newest { slots[previous].newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
        index[key] = slot
    }

    /// Forgets `key`.
    public mutating func removeValue(for key: Key) {
        if let slot = index[key] { remove(slot) }
    }

    private mutating func unlink(_ slot: Int) {
        let newer = slots[slot].newer
        let older = slots[slot].older
        if let newer { slots[newer].older = older } else { newest = older }
        if let older { slots[older].newer = newer } else { oldest = newer }
        slots[slot].newer = nil
        slots[slot].older = nil
    }

    private mutating func moveToFront(_ slot: Int) {
        guard newest != slot else { return }
        unlink(slot)
        slots[slot].older = newest
        if let previous = newest { slots[previous].newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
    }

    private mutating func remove(_ slot: Int) {
        unlink(slot)
        index.removeValue(forKey: slots[slot].key)
        free.append(slot)
    }
}
